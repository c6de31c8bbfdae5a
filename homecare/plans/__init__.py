"""Care and support plans (versioned), outcomes and SMART goals, reviews, and the what-is-due page (issue 4)."""
