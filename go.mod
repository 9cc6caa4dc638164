module github.com/rostersync/rostersync

go 1.23.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/hashicorp/go-retryablehttp v0.7.8
	golang.org/x/oauth2 v0.30.0
	golang.org/x/time v0.12.0
)

require github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
