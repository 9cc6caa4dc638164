package jobs_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// The TalentHR ⇔ TalentLMS job, two-way, on the fakes: TalentLMS gets a
// user for the employee, TalentHR hires the learner it lacks, and the
// learner's progress is kept on the TalentHR side.
func ExampleTalentHRTalentLMS() {
	ctx := context.Background()
	thr := talenthrtest.NewServer(nil)
	defer thr.Close()
	tlms := talentlmstest.NewServer(nil)
	defer tlms.Close()
	thr.AddEmployee(talenthrtest.Employee{FirstName: "Ana", LastName: "Lima", Email: "ana@acme.example", HireDate: "2021-03-01"})
	lena := tlms.AddUser(talentlmstest.User{Login: "lena", FirstName: "Lena", LastName: "Park", Email: "lena@acme.example"})
	course := tlms.AddCourse(talentlms.Course{Name: "Security Awareness", Code: "SEC-101"})
	tlms.Enroll(lena, course, talentlmstest.Progress{Percent: 60})

	training := talenthr.NewMemoryTraining() // your database, in a service
	cfg, err := jobs.TalentHRTalentLMS(thr.NewClient(nil), tlms.NewClient(nil),
		jobs.TalentHRTalentLMSOptions{Direction: jobs.TwoWay, Training: training})
	if err != nil {
		log.Fatal(err)
	}
	cfg.Store = syncengine.NewMemoryStore()
	eng, err := syncengine.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	report, err := eng.Sync(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range report.Outcomes {
		fmt.Println(o.Collection, o.Name, o.Result)
	}
	es, _ := training.Enrollments(ctx)
	fmt.Printf("kept on the TalentHR side: %.0f%% %s\n", es[0].Percent, es[0].Status)
	// Output:
	// courses Security Awareness created
	// users Ana Lima created
	// users Lena Park created
	// enrollments Lena Park in Security Awareness created
	// kept on the TalentHR side: 60% incomplete
}
