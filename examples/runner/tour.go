package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// tour runs the fake's tour after the first apply: each step changes the
// fake source and delivers its webhook to the program's receiver, whose
// queue the tour then drains, printing what it wrote; then it plans (and,
// with -apply, applies) again.
func (r *run) tour(ctx context.Context) error {
	if r.fake == nil || len(r.fake.Tour) == 0 || !r.applied || r.p.Webhook == nil {
		return nil
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	key := hex.EncodeToString(b[:]) // the webhook's private key, as a vendor generates one
	var runs []*syncengine.Report   // the queue's runs, drained in this goroutine
	q := r.eng.NewQueue(syncengine.QueueOptions{OnRun: func(rep *syncengine.Report, _ error) {
		if rep != nil {
			runs = append(runs, rep)
		}
	}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(r.p.Webhook.Path, r.p.Webhook.Handler(key, q, nil))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	url := "http://" + ln.Addr().String() + r.p.Webhook.Path
	fmt.Fprintf(r.out, "\nWebhooks: the receiver listens on %s;\nthe fake %s signs and delivers a webhook after each change. The receiver queues each\n"+
		"delivery durably and answers at once; the queue then writes to %s (here the tour drains it).\n", url, r.p.Source, r.p.Target)
	steps := r.fake.Tour
	if n := r.o.leavers; n > 0 {
		steps = append(steps, Step{Say: fmt.Sprintf("%d %ss leave at once", n, r.p.Nouns.Source),
			Change: func() { r.fake.Leave(n) }})
	}
	for _, s := range steps {
		s.Change()
		if s.Deliver == nil {
			fmt.Fprintf(r.out, "\n%s: %s (no webhook)\n", r.p.Source, s.Say)
			continue
		}
		status, err := s.Deliver(ctx, url, key)
		if err != nil {
			return fmt.Errorf("webhook: %w", err)
		}
		fmt.Fprintf(r.out, "\n%s: %s -> webhook -> %d %s\n", r.p.Source, s.Say, status, http.StatusText(status))
		if err := q.Drain(ctx); err != nil {
			return err
		}
		for _, rep := range runs {
			r.rows(rep, nil)
		}
		runs = nil
	}
	fmt.Fprintln(r.out, "\nRe-run: plan again.")
	p, err := r.eng.Plan(ctx)
	if err != nil {
		return err
	}
	return r.review(ctx, p, false)
}

// rest shows, after an -only apply, what the plan still holds.
func (r *run) rest(ctx context.Context) error {
	p, err := r.eng.Plan(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.out, "\nThe %ss not selected with -only are still to do:\n", r.p.Nouns.Source)
	r.printPlan(r.eng.Preview(p), p)
	return nil
}
