"""Request plumbing shared by every blueprint: pages and partials, forms, errors, security
headers and CSRF, request logs, static assets, language."""
