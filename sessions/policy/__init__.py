"""Who may see or change what: session rules by phase (phases), the object getters every view uses (access), and rules about a person rather than a session (people)."""
