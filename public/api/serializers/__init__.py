"""What each resource of the API shows. Only fields the public pages show are here: never
the review fields (status, reviewer, note), who entered a record, nor a withheld site's own
coordinates."""
