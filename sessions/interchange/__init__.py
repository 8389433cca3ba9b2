"""The sms-tool.session/1 format (format), the answer tables (tables), and importing and downloading in the browser (preview, views)."""
