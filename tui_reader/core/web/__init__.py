"""News from the web: one HTTP client (client), decoding as browsers do (encoding), feeds and their
subscriptions lists (feeds, opml), article text and metadata of pages (extract), and a refresh of
many feeds at once (refresh). Below the library, like the rest of the core: no Textual here."""
