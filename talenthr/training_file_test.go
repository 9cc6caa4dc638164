package talenthr_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rostersync/rostersync/talenthr"
)

// A FileTraining keeps what it is given across opens, the last line
// of a record winning, and new course ids come after the kept ones.
func TestFileTraining(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "training.jsonl")
	tf, err := talenthr.OpenFileTraining(path)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := tf.PutCourse(ctx, talenthr.Course{Name: "Security Awareness", Code: "SEC-101"})
	_ = tf.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: "7", CourseID: c.ID, Percent: 40})
	_ = tf.PutEnrollment(ctx, talenthr.Enrollment{EmployeeID: "7", CourseID: c.ID, Percent: 90})
	if err := tf.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := talenthr.OpenFileTraining(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if e, ok := again.Enrollment("7", c.ID); !ok || e.Percent != 90 {
		t.Errorf("reloaded enrollment %+v %v", e, ok)
	}
	if c2, _ := again.PutCourse(ctx, talenthr.Course{Name: "Onboarding"}); c2.ID == c.ID {
		t.Errorf("a new course took the id %q of a kept one", c2.ID)
	}
	if err := os.WriteFile(path, []byte("{\"course\":{\"id\":\"1\"}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := talenthr.OpenFileTraining(path); err == nil {
		t.Error("a course without a name was loaded")
	}
}

// A FileTraining file of any content opens or fails with an error naming the
// line; it never panics.
func FuzzFileTraining(f *testing.F) {
	f.Add([]byte("{\"course\":{\"id\":\"1\",\"name\":\"A\"}}\n{\"enrollment\":{\"employee_id\":\"2\",\"course_id\":\"1\",\"percent\":5}}\n"))
	f.Add([]byte("not json\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "training.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tf, err := talenthr.OpenFileTraining(path)
		if err == nil {
			_ = tf.Close()
		}
	})
}
