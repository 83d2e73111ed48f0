"""The review loop: the queue the sales-and-marketing committee rules on, and its decisions."""
