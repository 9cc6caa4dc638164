package runner

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// serve runs the webhook receiver and its queue until ctx ends. It writes
// to the target without -apply: each delivery is queued durably in the
// state directory, answered at once (with the status the program's
// receiver gives: 202 for BambooHR, 200 for HiBob), and synced by the queue.
func (r *run) serve(ctx context.Context) error {
	w := r.p.Webhook
	log := slog.New(slog.NewTextHandler(r.stderr, nil))
	q := r.eng.NewQueue(syncengine.QueueOptions{Logger: log, OnRun: func(rep *syncengine.Report, _ error) {
		if rep != nil {
			fmt.Fprintf(r.out, "%s webhook run: %s\n", time.Now().UTC().Format(time.RFC3339), rep.Summary())
			r.rows(rep, nil)
		}
	}})
	ln, err := net.Listen("tcp", r.o.serve)
	if err != nil {
		return Usagef("-serve %s: %w", r.o.serve, err)
	}
	mux := http.NewServeMux()
	mux.Handle(w.Path, w.Handler(r.env.Get(w.KeyVar), q, log))
	// The handler answers once the delivery is recorded: short timeouts.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute}
	fmt.Fprintf(r.out, "Listening for %s webhooks on http://%s%s (Ctrl-C stops).\n", r.p.Source, ln.Addr(), w.Path)
	fmt.Fprintf(r.out, "Each delivery is queued in the state directory, answered at once, then written to %s:\n"+
		"-serve writes without -apply.\n", r.p.Target)
	qctx, stopQueue := context.WithCancel(ctx)
	defer stopQueue()
	queued := make(chan struct{})
	go func() { _ = q.Run(qctx); close(queued) }()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		stopQueue()
		<-queued
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shut)
	stopQueue()
	<-queued
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	fmt.Fprintln(r.out, "Stopped.")
	return nil
}
