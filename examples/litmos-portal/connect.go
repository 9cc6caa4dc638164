package main

import (
	"io"
	"os"
	"strings"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// environment is what the example's own modes read of the environment.
type environment struct {
	getenv func(string) string
	stderr io.Writer
}

func (e environment) get(name string) string { return strings.TrimSpace(e.getenv(name)) }

func (e environment) tempDir() string {
	if d := e.get("TMPDIR"); d != "" {
		return d
	}
	return os.TempDir()
}

// litmos returns the Litmos client the environment names, or one on a new
// seeded fake (then close stops it); with some of the variables set and
// not the others, a usage error names what is missing. No value is ever
// printed.
func (e environment) litmos() (c *litmos.Client, fake *litmostest.Server, close func(), err error) {
	if e.get("LITMOS_API_KEY") == "" && e.get("LITMOS_SOURCE") == "" {
		if e.get("LITMOS_BASE_URL") != "" {
			return nil, nil, nil, runner.Usagef("LITMOS_BASE_URL set, but no credentials: set LITMOS_API_KEY and LITMOS_SOURCE too, " +
				"or unset LITMOS_BASE_URL to run on the built-in fake")
		}
		srv := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
		seedLitmos(srv, len(seedTeams))
		return srv.NewClient(nil), srv, srv.Close, nil
	}
	c, err = litmosClient(e.get)
	return c, nil, func() {}, err
}

// clientOptions are added to the real account's client options (the
// tests take pacing and long retries off, to run on a fake quickly).
var clientOptions []litmos.Option

// litmosClient builds the client of the real account.
func litmosClient(get func(string) string) (*litmos.Client, error) {
	for _, v := range []string{"LITMOS_API_KEY", "LITMOS_SOURCE"} {
		if get(v) == "" {
			return nil, runner.Usagef("%s is missing: a Litmos account needs LITMOS_API_KEY and LITMOS_SOURCE "+
				"(Litmos requires a source on every call)", v)
		}
	}
	var opts []litmos.Option
	if u := get("LITMOS_BASE_URL"); u != "" {
		opts = append(opts, litmos.WithBaseURL(u))
	}
	c, err := litmos.New(get("LITMOS_API_KEY"), get("LITMOS_SOURCE"), append(opts, clientOptions...)...)
	if err != nil {
		return nil, runner.Usagef("Litmos settings: %w", err)
	}
	return c, nil
}
