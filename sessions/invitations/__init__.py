"""Inviting people to a session by e-mail: single-use links, resending, revoking, accepting."""
