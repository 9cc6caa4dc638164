package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
)

// hrWrites counts requests to HiBob other than reads (the search and
// reads of one employee are POSTs that read).
func hrWrites(hr *hibobtest.Server) int {
	return hr.Log().Count(func(e hibobtest.Entry) bool {
		return hibobtest.IsWrite(e) && e.Path != "/v1/people/search" && !regexp.MustCompile(`^/v1/people/[^/]+$`).MatchString(e.Path)
	})
}

// The credentials point at fakes: the program takes the real-account path,
// writes nothing without -apply, and with -apply and a -state keeps its
// links; HiBob is only ever read.
func TestRealAccountsMode(t *testing.T) {
	hr, lms, env := fakeAccounts(t)
	r := runMain(t, env, "-state", t.TempDir())
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{"HiBob (service user SERVICE-4242) -> Learn Amp (127.0.0.1:", "), -invite start-date. State: ", "Ana Lima",
		"Ben Ode", "is created on " + dayFromNow(10), "Plan: 2 to create", "Nothing was written"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.out)
		}
	}
	if n := lms.Log().Count(func(e learnamptest.Entry) bool { return learnamptest.IsWrite(e) && !learnamptest.IsTokenRequest(e) }); n != 0 {
		t.Errorf("%d Learn Amp writes without -apply", n)
	}
	checkNoSecrets(t, r.out+r.stderr)

	state := t.TempDir()
	if r := runMain(t, env, "-state", state, "-apply"); r.code != 0 || !strings.Contains(r.out, "2 created") ||
		strings.Contains(r.out, "webhook") {
		t.Fatalf("apply on real accounts (no tour):\n%s", r)
	}
	u, ok := lms.UserByEmail("ana@acme.example")
	if !ok || u.Status != learnamp.StatusInvitePending || u.JobTitle != "Buyer" {
		t.Errorf("Ana in Learn Amp: %+v, want invited", u)
	}
	if _, ok := lms.UserByEmail("ben@acme.example"); ok {
		t.Error("Ben starts in ten days: created already")
	}
	if r := runMain(t, env, "-state", state, "-detailed-exitcode"); r.code != 0 || !strings.Contains(r.out, "No changes.") {
		t.Errorf("re-plan:\n%s", r)
	}
	if n := hrWrites(hr); n != 0 {
		t.Errorf("%d writes to HiBob", n)
	}
}

// -invite on real accounts: never creates both, the future starter too,
// and invites nobody.
func TestRealAccountsInviteNever(t *testing.T) {
	_, lms, env := fakeAccounts(t)
	r := runMain(t, env, "-state", t.TempDir(), "-apply", "-invite", "never")
	if r.code != 0 || !strings.Contains(r.out, "), -invite never. State: ") || !strings.Contains(r.out, "3 created") {
		t.Fatal(r)
	}
	if n := len(lms.Invitations()); n != 0 || len(lms.Users()) != 2 {
		t.Errorf("%d invitations, %d users; want 0 and 2", n, len(lms.Users()))
	}
}

// -serve writes without -apply: a delivery signed with the webhook's
// secret is answered 200, queued and synced; a forged one 401; Ctrl-C
// stops it.
func TestServe(t *testing.T) {
	const secret = "whsec-0123456789abcdef0123456789abcdef"
	hr, lms, env := fakeAccounts(t)
	env["HIBOB_WEBHOOK_SECRET"], env["TMPDIR"] = secret, t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errs := newLineWriter(), newLineWriter()
	done := make(chan int, 1)
	go func() {
		done <- runner.Run(ctx, program(), []string{"-serve", "127.0.0.1:0", "-state", t.TempDir()},
			func(k string) string { return env[k] }, out, errs)
	}()
	listening := regexp.MustCompile(`on (http://\S+/webhooks/hibob)`)
	url := listening.FindStringSubmatch(out.waitFor(t, "Listening for HiBob webhooks"))[1]
	out.waitFor(t, "-serve writes without -apply.")

	ana := hr.EmployeeIDs()[0]
	ev := hibob.WebhookPayload{Type: hibob.EventEmployeeCreated, EmployeeID: ana}
	if st, err := hr.SendWebhook(ctx, url, "not-the-secret", ev); err != nil || st[0] != http.StatusUnauthorized {
		t.Errorf("a forged delivery: %v %v, want 401", st, err)
	}
	if line := errs.waitFor(t, "hibob webhook rejected"); strings.Contains(line, secret) {
		t.Errorf("the log line holds the secret: %q", line)
	}
	if st, err := hr.SendWebhook(ctx, url, secret, ev); err != nil || st[0] != http.StatusOK {
		t.Errorf("a signed delivery: %v %v, want 200", st, err)
	}
	// Ana's user is created (with her team), and nobody else: Ben has not started.
	if line := out.waitFor(t, "webhook run:"); !strings.Contains(line, "2 created") {
		t.Errorf("webhook run line = %q, want 2 created (Ana and her department's team)", line)
	}
	out.waitFor(t, "Ana Lima")
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after cancel", code)
	}
	if _, ok := lms.UserByEmail("ana@acme.example"); !ok || len(lms.Users()) != 1 {
		t.Errorf("Learn Amp users %+v, want Ana alone", lms.Users())
	}
}
