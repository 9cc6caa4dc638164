package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/rostersync/rostersync/talenthr"
)

// trainingFile is a talenthr.Training kept in a file of JSON lines, one
// per course or enrollment kept, appended as they come (the last line of
// a course or enrollment wins); a record lost with the last lines is made
// again by the next run. It is the example's stand-in for your own
// database.
type trainingFile struct {
	*talenthr.MemoryTraining
	mu   sync.Mutex
	file *os.File
}

// trainingLine is one line of the file.
type trainingLine struct {
	Course     *talenthr.Course     `json:"course,omitempty"`
	Enrollment *talenthr.Enrollment `json:"enrollment,omitempty"`
}

// openTrainingFile loads path (created, mode 0600, when missing) and
// appends to it from then on.
func openTrainingFile(path string) (*trainingFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	t := &trainingFile{MemoryTraining: talenthr.NewMemoryTraining(), file: f}
	ctx := context.Background()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var l trainingLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		switch {
		case l.Course != nil:
			_, err = t.MemoryTraining.PutCourse(ctx, *l.Course)
		case l.Enrollment != nil:
			err = t.MemoryTraining.PutEnrollment(ctx, *l.Enrollment)
		}
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// PutCourse keeps c and appends it to the file.
func (t *trainingFile) PutCourse(ctx context.Context, c talenthr.Course) (talenthr.Course, error) {
	kept, err := t.MemoryTraining.PutCourse(ctx, c)
	if err != nil {
		return kept, err
	}
	return kept, t.append(trainingLine{Course: &kept})
}

// PutEnrollment keeps e and appends it to the file.
func (t *trainingFile) PutEnrollment(ctx context.Context, e talenthr.Enrollment) error {
	if err := t.MemoryTraining.PutEnrollment(ctx, e); err != nil {
		return err
	}
	return t.append(trainingLine{Enrollment: &e})
}

func (t *trainingFile) append(l trainingLine) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file == nil {
		return errors.New("training file closed")
	}
	// No fsync: a process that dies keeps what it wrote (the OS has it);
	// only a machine that loses power may lose the last lines, which the
	// engine then makes again.
	_, err = t.file.Write(append(b, '\n'))
	return err
}

// Close closes the file.
func (t *trainingFile) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file == nil {
		return nil
	}
	err := t.file.Close()
	t.file = nil
	return err
}
