"""The live Quick Scan for workshop rooms: answered without an account, limited per browser and address (limits)."""
