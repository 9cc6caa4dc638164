// Command bamboohr-litmos syncs BambooHR employees who have the "Litmos
// Access" checkbox ticked into Litmos as learners: the quickstart of
// rostersync's first job (package jobs/bamboohrlitmos).
//
// With no credentials in the environment it runs on in-process fakes of
// both APIs, seeded with a small company, and tours the whole job:
//
//	go run ./examples/bamboohr-litmos          # print the plan
//	go run ./examples/bamboohr-litmos -apply   # apply it, write the CSV report,
//	                                           # then a webhook-driven change, a
//	                                           # termination and a re-run
//
// With credentials it runs the same job against real accounts, writing only
// with -apply:
//
//	BAMBOOHR_SUBDOMAIN   company subdomain (acme for acme.bamboohr.com)
//	BAMBOOHR_API_KEY     an API key of a BambooHR user who sees every employee
//	                     or, instead of a key, all three of (partners only):
//	BAMBOOHR_USER        that user's email or username
//	BAMBOOHR_PASSWORD    their password
//	BAMBOOHR_APPLICATION_KEY
//	                     a partner application key from BambooHR; the program
//	                     logs in once and keeps the key it gets in memory only
//	BAMBOOHR_BASE_URL    optional: another base URL (proxy, legacy gateway)
//	BAMBOOHR_ACCESS_FIELD optional: label or alias of the scoping checkbox
//	                     (default "Litmos Access")
//	LITMOS_API_KEY       Litmos API key
//	LITMOS_SOURCE        your application's name, sent on every Litmos call
//	LITMOS_BASE_URL      optional: e.g. https://api.litmoseu.com/v1.svc
//	BAMBOOHR_WEBHOOK_KEY the webhook's private key (only with -serve)
//
// Flags:
//
//	-apply        write the plan (default: only print it)
//	-allow-deactivations
//	              also apply deactivations held back by the threshold (a plan
//	              that deactivates more than 10 learners at once is held)
//	-state DIR    the state directory (the file store: links between employees
//	              and learners, run history, the lock); default a fresh temp
//	              directory on the fakes (which refuse a directory that
//	              already holds links: the fakes start empty on every run),
//	              rostersync/bamboohr-<subdomain>-litmos under the user config
//	              directory on real accounts
//	-report FILE  where to write the CSV import report (default: a temp file)
//	-only ids     apply only these BambooHR employee ids (comma-separated);
//	              an id not in the plan is a usage error
//	-serve ADDR   run the webhook receiver on ADDR (path /webhooks/bamboohr)
//	-employees N  size of the fake company (fakes only; default 34)
//	-v            also print the engine's full plan, field by field
//
// Exit status: 0 done (employees that failed are listed in the report),
// 1 error, 2 usage or configuration error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rostersync/rostersync/bamboohr"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the parsed flags.
type options struct {
	apply     bool
	allowDeac bool // -allow-deactivations: release deactivations held by the threshold
	state     string
	report    string
	only      []string
	serve     string
	employees int
	verbose   bool
}

// errUsage marks errors the user fixes by changing the command or the
// environment (exit status 2).
var errUsage = errors.New("usage")

// run is the program, with its environment passed in so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "bamboohr-litmos:", err)
		return 2
	}
	creds, err := loadCredentials(getenv)
	if err == nil {
		if creds == nil {
			err = runFake(ctx, opts, getenv, stdout, stderr)
		} else {
			err = runReal(ctx, opts, creds, getenv, stdout, stderr)
		}
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "bamboohr-litmos:", strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	}
	fmt.Fprintln(stderr, "bamboohr-litmos:", err)
	return 1
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var only string
	fs := flag.NewFlagSet("bamboohr-litmos", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.apply, "apply", false, "apply the plan (default: only print it)")
	fs.BoolVar(&o.allowDeac, "allow-deactivations", false,
		"apply deactivations the threshold holds back (more than 10 in one run), after reviewing the plan")
	fs.StringVar(&o.state, "state", "", "state directory (the file store)")
	fs.StringVar(&o.report, "report", "", "CSV import report file (default: a temp file)")
	fs.StringVar(&only, "only", "", "apply only these BambooHR employee ids, comma-separated")
	fs.StringVar(&o.serve, "serve", "", "run the webhook receiver on this address, e.g. :8080")
	fs.IntVar(&o.employees, "employees", len(cast), "size of the fake company (no credentials only)")
	fs.BoolVar(&o.verbose, "v", false, "print the full plan, field by field")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bamboohr-litmos [-apply] [-allow-deactivations] [-state DIR] [-report FILE] [-only id,id] [-serve ADDR] [-v]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	for _, id := range strings.Split(only, ",") {
		if id = strings.TrimSpace(id); id != "" {
			o.only = append(o.only, id)
		}
	}
	if only != "" && len(o.only) == 0 {
		return o, errors.New("-only: no employee ids")
	}
	if o.employees < len(cast) || o.employees > 100000 {
		return o, fmt.Errorf("-employees: %d is out of range [%d, 100000]", o.employees, len(cast))
	}
	return o, nil
}

// credentials are the real accounts' settings. They are never printed.
type credentials struct {
	hrSubdomain, hrKey, hrBaseURL, accessField string
	// hrLogin is set instead of hrKey when the key comes from BambooHR's
	// Login API; connect drops it after the one call.
	hrLogin                       *bamboohr.Credentials
	lmsKey, lmsSource, lmsBaseURL string
}

// The real accounts' environment: requiredEnv, plus BambooHR's key either
// pasted (keyEnv) or obtained by logging in with all of loginEnv.
var (
	requiredEnv = []string{"BAMBOOHR_SUBDOMAIN", "LITMOS_API_KEY", "LITMOS_SOURCE"}
	keyEnv      = "BAMBOOHR_API_KEY"
	loginEnv    = []string{"BAMBOOHR_USER", "BAMBOOHR_PASSWORD", "BAMBOOHR_APPLICATION_KEY"}
)

// loadCredentials returns nil when none of the variables is set (fake
// mode), and an error naming the missing ones when only some are. It never
// puts a value in an error, only names.
func loadCredentials(getenv func(string) string) (*credentials, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	set, missing := splitSet(get, requiredEnv)
	loginSet, loginMissing := splitSet(get, loginEnv)
	hasKey := get(keyEnv) != ""
	if len(set) == 0 && len(loginSet) == 0 && !hasKey {
		return nil, nil
	}
	switch {
	case hasKey && len(loginSet) > 0:
		return nil, fmt.Errorf("%w: both %s and %s are set: give BambooHR either an API key or a login, not both",
			errUsage, keyEnv, strings.Join(loginSet, ", "))
	case hasKey:
		set = append(set, keyEnv)
	case len(loginSet) > 0:
		set = append(set, loginSet...)
		missing = append(missing, loginMissing...)
	default:
		missing = append(missing, keyEnv)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing environment variables %s (%s set): to use real accounts set all of %s, "+
			"and either %s or all of %s; set none of them to run on the built-in fakes",
			errUsage, strings.Join(missing, ", "), strings.Join(set, ", "), strings.Join(requiredEnv, ", "),
			keyEnv, strings.Join(loginEnv, ", "))
	}
	c := &credentials{
		hrSubdomain: get("BAMBOOHR_SUBDOMAIN"), hrKey: get(keyEnv), hrBaseURL: get("BAMBOOHR_BASE_URL"),
		accessField: get("BAMBOOHR_ACCESS_FIELD"),
		lmsKey:      get("LITMOS_API_KEY"), lmsSource: get("LITMOS_SOURCE"), lmsBaseURL: get("LITMOS_BASE_URL"),
	}
	if !hasKey {
		// The password is taken as given: spaces around it may be part of it.
		c.hrLogin = &bamboohr.Credentials{User: get("BAMBOOHR_USER"), Password: bamboohr.Secret(getenv("BAMBOOHR_PASSWORD")),
			ApplicationKey: bamboohr.Secret(get("BAMBOOHR_APPLICATION_KEY"))}
	}
	return c, nil
}

// splitSet splits names into those with a non-blank value and the others.
func splitSet(get func(string) string, names []string) (set, unset []string) {
	for _, k := range names {
		if get(k) == "" {
			unset = append(unset, k)
		} else {
			set = append(set, k)
		}
	}
	return set, unset
}
