// Package jobs holds the presets of the integrations rostersync replaces:
// one function per seed job, each returning the syncengine.Config that
// wires its two connectors, its field map, its match keys and its rules.
// A pair is configuration, so a preset is a few dozen lines; any HR system
// can feed any learning platform through the canonical-person maps of
// package mapping without a preset at all.
//
//	hr, _ := bamboohr.New("acme", apiKey)
//	lms, _ := litmos.New(litmosKey, "my-app")
//	cfg, err := jobs.BambooHRLitmos(hr, lms, jobs.BambooHRLitmosOptions{})
//	cfg.StateDir = "state" // or leave it empty for the default state directory
//	eng, err := syncengine.New(cfg)
//	defer eng.Close()
//	plan, err := eng.Plan(ctx)             // writes nothing; print it, review it
//	eng.Preview(plan).WriteText(os.Stdout) // the staged list, one line per employee
//	report, err := eng.Apply(ctx, plan)    // or plan.Select("1042") for chosen employees
//	report.WriteCSV(w)                     // created / updated / deactivated / failed, with reasons
//
// The TalentHR ⇔ TalentLMS job runs in the direction its options name,
// with courses and progress kept on the TalentHR side in a Training store
// (TalentHR's API has no training endpoint), and on a schedule:
//
//	cfg, err := jobs.TalentHRTalentLMS(thr, tlms, jobs.TalentHRTalentLMSOptions{
//		Direction: jobs.TwoWay, Branch: "Sales", Training: myTrainingStore})
//	eng, err := syncengine.New(cfg)
//	tasks, err := jobs.TalentHRTalentLMSTasks(eng, cfg, jobs.TalentHRTalentLMSSchedule{Poll: 5 * time.Minute})
//	s, err := schedule.New(schedule.Options{Store: eng.Store(), Pair: eng.Pair(), Notify: notify}, tasks...)
//	go s.Run(ctx)
//	s.Trigger(ctx, jobs.TalentLMSTask) // a manual sync, through the same path
//
// Webhooks go through the engine's durable queue:
//
//	q := eng.NewQueue(syncengine.QueueOptions{})
//	go q.Run(ctx)
//	http.Handle("/webhooks/bamboohr", bamboohr.WebhookVerifier{PrivateKey: key}.Handler(bamboohr.Enqueue(eng, q)))
package jobs
