package talentlmstest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// Test code against a seeded fake portal: enrol a user, then read every
// learner's progress in the course with one call.
func Example() {
	srv := talentlmstest.NewServer(nil)
	defer srv.Close()
	co := srv.SeedCompany()
	c := srv.NewClient(nil)
	ctx := context.Background()

	course := co.Courses["Onboarding & Culture"]
	if _, err := c.AddUserToCourse(ctx, talentlms.AddUserToCourseParams{CourseID: course, UserEmail: "bo.chen@northwind.example"}); err != nil {
		log.Fatal(err)
	}
	detail, err := c.GetCourse(ctx, course)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range detail.Users {
		fmt.Println(u.Name, u.CompletionPercentage, u.Completed())
	}
	fmt.Println("requests:", srv.Log().Count(nil), "writes:", srv.Log().Count(talentlmstest.IsMutation))
	// Output:
	// L. Rossi 100 true
	// B. Chen 0 false
	// requests: 3 writes: 1
}
