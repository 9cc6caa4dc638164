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
// Litmos → a platform of your own (any sink connector: you write it),
// with remediation assignments back into Litmos and a daily schedule:
//
//	cfg, err := jobs.LitmosPlatform(lms, myPlatform, jobs.LitmosPlatformOptions{})
//	eng, err := syncengine.New(cfg)
//	s, err := schedule.New(schedule.Options{Store: eng.Store(), Pair: eng.Pair(), Notify: mail},
//		jobs.LitmosPlatformTask(eng))
//	go s.Run(ctx)
//	rem := &jobs.LitmosRemediation{Litmos: lms, Store: eng.Store(), Pair: eng.Pair(), Platform: myPlatform}
//	rem.Assign(ctx, platformUserID, []string{courseID}) // no email, never twice
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
//	verifier := &bamboohr.WebhookVerifier{PrivateKey: key}
//	http.Handle("/webhooks/bamboohr", verifier.Handler(bamboohr.Enqueue(q)))
//
// Example_embed (readme_example_test.go) runs this on the fakes.
//
// The jobs:
//
//   - BambooHRLitmos: employees with "Litmos Access" ticked become Litmos
//     learners, matched by work email (the username).
//   - HiBobLearnAmp: every HiBob employee becomes a Learn Amp user, matched
//     by integrationExternalId then email, with a flat team per department;
//     leavers are deactivated the day after their last day (the engine keeps
//     the date), and new users are invited as InvitePolicy says.
//
// The HiBob → Learn Amp job, with its webhooks and due times:
//
//	hr, _ := hibob.New(serviceUserID, token)
//	lms, _ := learnamp.New(clientID, clientSecret, learnamp.WithBaseURL("https://api.learnamp.com"))
//	cfg, err := jobs.HiBobLearnAmp(hr, lms, jobs.HiBobLearnAmpOptions{Invite: jobs.InviteOnStartDate})
//	eng, err := syncengine.New(cfg)
//	q := eng.NewQueue(syncengine.QueueOptions{})
//	go q.Run(ctx) // HiBob's deliveries, and the due times: leave and start dates
//	http.Handle("/webhooks/hibob", (&hibob.WebhookVerifier{Secret: hibob.Secret(secret)}).Handler(hibob.Enqueue(q)))
package jobs
