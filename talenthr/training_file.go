package talenthr

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
)

// FileTraining is a Training store kept in a file of JSON lines, one per
// course or enrollment kept, appended as they come (the last line of a
// course or enrollment wins). It is a stand-in for your own database, for
// a program that has none (the example talenthr-talentlms keeps the
// TalentHR side's training in one): the file only grows, and a record
// lost with its last lines is made again by the next sync. Safe for
// concurrent use.
type FileTraining struct {
	*MemoryTraining
	mu   sync.Mutex
	file *os.File
}

var _ Training = (*FileTraining)(nil)

// trainingLine is one line of a FileTraining's file.
type trainingLine struct {
	Course     *Course     `json:"course,omitempty"`
	Enrollment *Enrollment `json:"enrollment,omitempty"`
}

// OpenFileTraining loads path (created, mode 0600, when missing) and
// appends to it from then on; Close closes it. A line that is not a
// course or an enrollment MemoryTraining keeps fails the open, naming
// the line.
func OpenFileTraining(path string) (*FileTraining, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	t := &FileTraining{MemoryTraining: NewMemoryTraining(), file: f}
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
func (t *FileTraining) PutCourse(ctx context.Context, c Course) (Course, error) {
	kept, err := t.MemoryTraining.PutCourse(ctx, c)
	if err != nil {
		return kept, err
	}
	return kept, t.append(trainingLine{Course: &kept})
}

// PutEnrollment keeps e and appends it to the file.
func (t *FileTraining) PutEnrollment(ctx context.Context, e Enrollment) error {
	if err := t.MemoryTraining.PutEnrollment(ctx, e); err != nil {
		return err
	}
	return t.append(trainingLine{Enrollment: &e})
}

func (t *FileTraining) append(l trainingLine) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file == nil {
		return errors.New("talenthr: training file closed")
	}
	// No fsync: a process that dies keeps what it wrote (the OS has it);
	// only a machine that loses power may lose the last lines, which the
	// engine then makes again.
	_, err = t.file.Write(append(b, '\n'))
	return err
}

// Close closes the file; later puts fail.
func (t *FileTraining) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file == nil {
		return nil
	}
	err := t.file.Close()
	t.file = nil
	return err
}
