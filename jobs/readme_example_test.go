package jobs_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// The job embedded in a service, as the README's "Use it in your code"
// shows it (a test keeps the two alike): plan, apply chosen employees,
// and receive webhooks through the engine's durable queue.
func Example_embed() {
	ctx := context.Background()
	hr := bamboohrtest.NewServer(nil) // real accounts: bamboohr.New("acme", apiKey)
	defer hr.Close()
	lms := litmostest.NewServer(nil) // real accounts: litmos.New(litmosKey, "my-app")
	defer lms.Close()
	hr.SeedCompany()

	cfg, err := jobs.BambooHRLitmos(hr.NewClient(nil), lms.NewClient(nil), jobs.BambooHRLitmosOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cfg.Store = syncengine.NewMemoryStore() // default: the file store in cfg.StateDir
	eng, err := syncengine.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	plan, err := eng.Plan(ctx) // writes nothing: print it, review it, save it as JSON
	if err != nil {
		log.Fatal(err)
	}
	chosen, err := plan.Select("101", "102") // or apply the whole plan
	if err != nil {
		log.Fatal(err)
	}
	report, err := eng.Apply(ctx, chosen) // report.WriteCSV(w): one row per employee
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Summary())

	q := eng.NewQueue(syncengine.QueueOptions{}) // run it with go q.Run(ctx)
	verifier := &bamboohr.WebhookVerifier{PrivateKey: bamboohr.Secret("the webhook's private key")}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/bamboohr", verifier.Handler(bamboohr.Enqueue(q)))
	// Output: 2 created, 0 updated, 0 deactivated, 0 reactivated, 0 skipped, 0 failed
}
