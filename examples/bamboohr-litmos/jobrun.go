package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
)

// runReal runs the job against the real accounts in creds.
func runReal(ctx context.Context, opts options, creds *credentials, getenv func(string) string, stdout, stderr io.Writer) error {
	if opts.serve != "" && getenv("BAMBOOHR_WEBHOOK_KEY") == "" {
		return errNoWebhookKey // before a login mints a key for nothing
	}
	hr, lms, err := connect(ctx, creds, stderr)
	if err != nil {
		return err
	}
	state := opts.state
	if state == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return fmt.Errorf("%w: no user config directory (%v): pass -state DIR", errUsage, err)
		}
		state = bamboohrlitmos.DefaultStateDir(dir, hr.Subdomain())
	}
	out := &syncWriter{w: stdout}
	prog := &progress{w: stderr}
	job, err := bamboohrlitmos.New(bamboohrlitmos.Config{BambooHR: hr, Litmos: lms, StateDir: state,
		AccessField: creds.accessField, OnProgress: prog.observe, OnPhase: prog.onPhase, OnFinish: webhookLog(out, opts)})
	if err != nil {
		return err
	}
	defer job.Close()
	fmt.Fprintf(out, "BambooHR (%s) -> Litmos. State: %s\n\n", hr.Subdomain(), state)
	if opts.serve != "" {
		return serve(ctx, job, opts.serve, getenv("BAMBOOHR_WEBHOOK_KEY"), out)
	}
	_, err = planApply(ctx, job, opts, prog, out, "")
	return err
}

// planApply prints the plan and, with -apply, applies it and writes the
// report. It returns the report of the apply (nil without -apply).
func planApply(ctx context.Context, job *bamboohrlitmos.Job, opts options, prog *progress, out io.Writer, reportDir string) (*bamboohrlitmos.Report, error) {
	p, err := job.Plan(ctx)
	if err != nil {
		return nil, err
	}
	if opts.allowDeac {
		p = p.AllowDeactivations()
	}
	if missing := p.Unknown(opts.only...); len(missing) > 0 {
		return nil, fmt.Errorf("%w: -only: employee ids not in the plan (no Litmos Access, or unknown): %s",
			errUsage, strings.Join(missing, ", "))
	}
	shown := p
	if len(opts.only) > 0 {
		shown = p.Only(opts.only...)
	}
	preview := job.Preview(shown)
	printPlan(out, preview, shown, opts.verbose)
	if !opts.apply {
		fmt.Fprintln(out, "\nNothing was written. Run again with -apply to apply this plan.")
		return nil, nil
	}
	if preview.Held != nil {
		return nil, fmt.Errorf("nothing was written: the plan deactivates %d learners, more than the threshold allows; "+
			"review them, then run again with -apply -allow-deactivations", preview.Held.Deactivations)
	}
	prog.start(writes(preview))
	start := time.Now()
	rep, err := job.Apply(ctx, p, opts.only...)
	if rep == nil {
		return nil, err
	}
	fmt.Fprintf(out, "\nApplied in %s: %s.\n", time.Since(start).Round(time.Millisecond), rep.Summary())
	for _, r := range rep.Rows {
		if r.Action == bamboohrlitmos.Failed {
			printRows(out, &bamboohrlitmos.Report{Rows: []bamboohrlitmos.Row{r}})
		}
	}
	path, werr := writeReport(rep, opts.report, reportDir)
	if werr != nil {
		return rep, errors.Join(err, werr)
	}
	fmt.Fprintf(out, "Import report (CSV, one row per employee): %s\n", path)
	return rep, err
}

var errNoWebhookKey = fmt.Errorf("%w: -serve needs BAMBOOHR_WEBHOOK_KEY, the webhook's private key from BambooHR", errUsage)

// serve runs the webhook receiver until ctx ends.
func serve(ctx context.Context, job *bamboohrlitmos.Job, addr, key string, out io.Writer) error {
	if key == "" {
		return errNoWebhookKey
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/bamboohr", job.WebhookHandler(bamboohr.WebhookVerifier{PrivateKey: bamboohr.Secret(key)}))
	// ReadTimeout bounds a slow body too; no WriteTimeout, since the answer
	// waits for the sync (and for a sync already running).
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute}
	fmt.Fprintf(out, "Listening for BambooHR webhooks on http://%s/webhooks/bamboohr (Ctrl-C stops).\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	fmt.Fprintln(out, "Stopped.")
	return nil
}

// webhookLog prints the result of each webhook-driven run in -serve mode.
func webhookLog(out io.Writer, opts options) func(*bamboohrlitmos.Report) {
	if opts.serve == "" {
		return nil
	}
	return func(r *bamboohrlitmos.Report) {
		fmt.Fprintf(out, "%s webhook run: %s\n", time.Now().UTC().Format(time.RFC3339), r.Summary())
		printRows(out, r)
	}
}

// syncWriter serialises writes from concurrent webhook runs.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
