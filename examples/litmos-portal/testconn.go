package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rostersync/rostersync/examples/runner"
)

// checkConnection is -test-connection: what a setup screen calls before it
// saves the settings.
func (o *own) checkConnection(ctx context.Context, env environment, _ []string, stdout, stderr io.Writer) int {
	lms, fake, stop, err := env.litmos()
	if err != nil {
		return usage(stderr, err)
	}
	defer stop()
	where := "your Litmos account"
	if fake != nil {
		where = "the built-in Litmos fake (no LITMOS_* variables set)"
	}
	if err := lms.TestConnection(ctx); err != nil {
		fmt.Fprintf(stderr, "litmos-portal: %v\n", err)
		return runner.ExitError
	}
	fmt.Fprintf(stdout, "Connection to %s: the API key and the source are accepted, and the account has teams.\n", where)
	return runner.ExitOK
}
