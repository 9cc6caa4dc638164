package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs/bamboohrlitmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// runFake runs the job on in-process fakes of both APIs and, with -apply,
// tours webhooks, a termination and a re-run.
func runFake(ctx context.Context, opts options, getenv func(string) string, stdout, stderr io.Writer) error {
	hr := bamboohrtest.NewServer(nil)
	defer hr.Close()
	// The fakes run unthrottled: Litmos's 100 requests a minute would make
	// the tour take minutes. Against real accounts the client paces itself.
	lms := litmostest.NewServer(nil, litmostest.WithoutRateLimit())
	defer lms.Close()
	ids := seedCompany(hr, opts.employees)

	work, err := os.MkdirTemp("", "rostersync-bamboohr-litmos-")
	if err != nil {
		return err
	}
	if !opts.apply {
		defer os.RemoveAll(work) // a plan writes no report: keep nothing
	} else {
		defer os.Remove(work) // kept when it holds the state or a report, removed when empty
	}
	state := opts.state
	if state == "" {
		state = filepath.Join(work, "state")
	} else if err := checkFreshState(ctx, state); err != nil {
		return err
	}
	out := &syncWriter{w: stdout}
	prog := &progress{w: stderr}
	runs := &lastRun{}
	job, err := bamboohrlitmos.New(bamboohrlitmos.Config{
		BambooHR: hr.NewClient(nil), Litmos: lms.NewClient(nil), StateDir: state,
		OnProgress: prog.observe, OnPhase: prog.onPhase,
		OnFinish: func(r *bamboohrlitmos.Report) {
			runs.set(r)
			if log := webhookLog(out, opts); log != nil {
				log(r)
			}
		},
	})
	if err != nil {
		return err
	}
	defer job.Close()

	fmt.Fprintf(out, "No credentials in the environment: running on in-process fakes of BambooHR and Litmos,\n")
	fmt.Fprintf(out, "seeded with Northwind Robotics (%d employees, %d with Litmos Access).\n", opts.employees, withAccess(opts.employees))
	fmt.Fprintf(out, "State: %s (file store: the links between employees and learners)\n\n", state)
	if opts.serve != "" {
		return serve(ctx, job, opts.serve, getenv("BAMBOOHR_WEBHOOK_KEY"), out)
	}
	rep, err := planApply(ctx, job, opts, prog, out, work)
	if err != nil || rep == nil {
		return err
	}
	if len(opts.only) > 0 {
		fmt.Fprintln(out, "\nThe employees not selected with -only are still to do:")
		return replan(ctx, job, out)
	}
	return tour(ctx, job, hr, ids, runs, out)
}

// checkFreshState refuses a state directory that already links employees
// to learners. The fakes start empty on every run and hand out the same
// learner ids each time, so old links would point at learners that do not
// exist, or at other people's learners once a few are created; and a real
// account's state directory must never take links to fake learners.
func checkFreshState(ctx context.Context, dir string) error {
	fs, err := syncengine.OpenFileStore(dir)
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	defer fs.Close()
	links, err := fs.Links(ctx, bamboohrlitmos.Pair, syncengine.Users)
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if len(links) > 0 {
		return fmt.Errorf("%w: -state %s already links %d employees to learners, but the built-in fakes start empty on every run: "+
			"give a new directory (with real accounts, -state keeps the links between runs)", errUsage, dir, len(links))
	}
	return nil
}

func replan(ctx context.Context, job *bamboohrlitmos.Job, out io.Writer) error {
	p, err := job.Plan(ctx)
	if err != nil {
		return err
	}
	printPlan(out, job.Preview(p), p, false)
	return nil
}

func withAccess(n int) int {
	c := n - len(cast)
	for _, p := range cast {
		if p.access {
			c++
		}
	}
	return c
}

// lastRun keeps the report of the latest run.
type lastRun struct {
	mu sync.Mutex
	r  *bamboohrlitmos.Report
}

func (l *lastRun) set(r *bamboohrlitmos.Report) { l.mu.Lock(); l.r = r; l.mu.Unlock() }

func (l *lastRun) take() *bamboohrlitmos.Report {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.r
	l.r = nil
	return r
}

// tour changes employees in the fake BambooHR, delivers signed webhooks to
// a receiver built from Job.WebhookHandler, then plans again.
func tour(ctx context.Context, job *bamboohrlitmos.Job, hr *bamboohrtest.Server, ids map[string]string, runs *lastRun, out io.Writer) error {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	key := hex.EncodeToString(b[:]) // the webhook's private key, as BambooHR generates one
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: job.WebhookHandler(bamboohr.WebhookVerifier{PrivateKey: bamboohr.Secret(key)}),
		ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/webhooks/bamboohr"
	fmt.Fprintf(out, "\nWebhooks: Job.WebhookHandler listens on %s;\nthe fake BambooHR signs and delivers an employee.updated event after each change.\n", url)

	today := time.Now().UTC().Format("2006-01-02")
	steps := []struct {
		what   string
		id     string
		fields []string
		change func(id int)
	}{
		{"Bo Chen is promoted to Senior Software Engineer", ids["bo"], []string{"jobTitle"},
			func(id int) { hr.SetField(id, "jobTitle", "Senior Software Engineer") }},
		{"Ed Silva is terminated", ids["ed"], []string{"employmentHistoryStatus"},
			func(id int) { hr.Terminate(id, today) }},
		{"Kwame Mensah's Litmos Access box is unticked", ids["kwame"], []string{bamboohrtest.LitmosAccessAlias},
			func(id int) { hr.SetField(id, bamboohrtest.LitmosAccessAlias, "no") }},
	}
	for _, s := range steps {
		var n int
		fmt.Sscan(s.id, &n)
		s.change(n)
		status, err := hr.SendWebhook(ctx, url, key, bamboohr.EventBased,
			bamboohr.WebhookEvent{Action: "Updated", EmployeeID: s.id, ChangedFields: s.fields})
		if err != nil {
			return fmt.Errorf("webhook: %w", err)
		}
		fmt.Fprintf(out, "\nBambooHR: %s -> webhook -> %d %s\n", s.what, status, http.StatusText(status))
		if r := runs.take(); r != nil {
			printRows(out, r)
		}
	}

	fmt.Fprintln(out, "\nRe-run: plan again.")
	return replan(ctx, job, out)
}
