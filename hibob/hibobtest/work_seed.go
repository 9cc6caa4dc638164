package hibobtest

import "sort"

// AddWorkEntry adds a dated row to employee id's work table, as an HR
// admin's change in Bob would (no request is logged): a new title, by
// name (added to the title list when missing), every other column copied
// from the row dated before it. An unknown employee, or a date the table
// already has, is a test bug: it panics.
func (s *Server) AddWorkEntry(id, effectiveDate, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.employees[id]
	if e == nil {
		panic("hibobtest: AddWorkEntry: no employee " + id)
	}
	titleID := s.seedItem("title", title)
	row, msg := s.workRowFrom(e, workJSON{EffectiveDate: effectiveDate, Title: &titleID})
	if msg != "" {
		panic("hibobtest: AddWorkEntry: " + msg)
	}
	s.nextEntry++
	row.id = s.nextEntry
	e.work = append(e.work, row)
	sort.Slice(e.work, func(i, j int) bool { return e.work[i].effectiveDate < e.work[j].effectiveDate })
}
