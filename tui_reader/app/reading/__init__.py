"""Reading an article: the pane (pane.py), the article view (article_view.py), the body view that holds
its text (body_view.py, the TextArea subclass) and the passages panel (passages_panel.py)."""
