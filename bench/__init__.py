"""newsreader's benchmark: import, query, start-up, typing, reading and memory figures on the real corpus."""
