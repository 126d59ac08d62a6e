"""From Markdown to finished HTML: markup, templates, and the one post-render HTML stage."""
