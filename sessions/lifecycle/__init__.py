"""A session's life: create and edit it, move it through its phases, its page, the home page and each organisation's progress."""
