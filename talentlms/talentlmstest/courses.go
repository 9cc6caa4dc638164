package talentlmstest

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talentlms"
	"slices"
)

// renderCourse is c as v1 sends it (name and price entity-encoded);
// detail adds every enrolled user's progress and the units.
func (st *state) renderCourse(c *course, detail bool) map[string]any {
	m := map[string]any{
		"id": c.ID, "name": html.EscapeString(c.Name), "code": c.Code, "category_id": nullable(c.CategoryID),
		"description": c.Description, "price": strings.ReplaceAll(html.EscapeString(c.Price), "$", "&#36;"),
		"status": orDefault(c.Status, "active"), "creation_date": st.fmtDateTime(c.created),
		"last_update_on": st.fmtDateTime(c.created), "creator_id": "1",
		"hide_from_catalog": map[bool]string{true: "1", false: "0"}[c.HideFromCatalog],
		"time_limit":        "0", "start_datetime": nil, "expiration_datetime": nil, "level": nil,
		"shared": "0", "shared_url": "", "avatar": "https://" + Domain + "/pages/images/unknown_small.png",
		"big_avatar":    "https://" + Domain + "/pages/images/unknown_large.png",
		"certification": nil, "certification_duration": nil,
	}
	if !detail {
		return m
	}
	users := make([]any, 0, len(c.learners))
	for _, uid := range c.learners {
		u, e := st.users[uid], st.enrolled[enrolKey{uid, c.ID}]
		row := map[string]any{"id": uid, "name": displayName(u.first, u.last), "role": e.Role}
		st.progressFields(row, e)
		users = append(users, row)
	}
	units := make([]any, 0, len(c.Units))
	for _, un := range c.Units {
		units = append(units, map[string]string{"id": un.ID, "type": un.Type, "name": un.Name, "url": un.URL})
	}
	m["users"], m["units"], m["rules"], m["prerequisites"] = users, units, []any{}, []any{}
	return m
}

// progressFields adds the dates, percentage and time every progress shape carries.
func (st *state) progressFields(m map[string]any, e *enrolment) {
	m["enrolled_on"], m["enrolled_on_timestamp"] = st.fmtDateTime(e.EnrolledOn), unix(e.EnrolledOn)
	m["completed_on"], m["completed_on_timestamp"] = st.fmtDateTime(e.CompletedOn), unix(e.CompletedOn)
	m["completion_percentage"] = fmt.Sprint(e.Percent)
	m["expired_on"], m["expired_on_timestamp"] = "", nil
	m["total_time"], m["total_time_seconds"] = totalTime(e.TotalTimeSeconds), e.TotalTimeSeconds
}

// renderUserCourse is a course in a user's detail: completion_status in
// lower-case codes, as user details send it.
func (st *state) renderUserCourse(u *user, c *course) map[string]any {
	e := st.enrolled[enrolKey{u.id, c.ID}]
	m := map[string]any{"id": c.ID, "name": html.EscapeString(c.Name), "role": e.Role}
	st.progressFields(m, e)
	code := e.code()
	m["completion_status"], m["completion_status_formatted"] = code, strings.ReplaceAll(code, "_", " ")
	m["last_accessed_unit_url"] = ""
	return m
}

// code is the lower-case completion status of user details.
func (e *enrolment) code() string {
	switch {
	case e.Status != "":
		return strings.ReplaceAll(strings.ToLower(e.Status), " ", "_")
	case !e.CompletedOn.IsZero() || e.Percent >= 100:
		return "completed"
	case e.Percent > 0:
		return "incomplete"
	}
	return "not_attempted"
}

// statusText is the completion status as getuserstatusincourse words it.
func (e *enrolment) statusText() string {
	if e.Status != "" {
		return e.Status
	}
	s := strings.ReplaceAll(e.code(), "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func totalTime(secs int64) any {
	if secs == 0 {
		return nil
	}
	d := time.Duration(secs) * time.Second
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh %dm %ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm %ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

func (s *Server) routeCourses(w http.ResponseWriter, raw string) {
	p, ok := pathParams(raw, "id")
	if !ok {
		invalid(w, msgInvalid)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, one := p["id"]; one {
		c := s.st.courses[id]
		if c == nil {
			notFound(w, msgNoCourse)
			return
		}
		fakeserver.WriteJSON(w, http.StatusOK, s.st.renderCourse(c, true))
		return
	}
	out := make([]any, 0, len(s.st.courseOrder))
	for _, id := range s.st.courseOrder {
		out = append(out, s.st.renderCourse(s.st.courses[id], false))
	}
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) addUserToCourse(w http.ResponseWriter, r *http.Request) {
	f, ok := formParams(r, keys("course_id", "user_id", "user_email", "role"))
	role := orDefault(f.Get("role"), "learner")
	if !ok || f.Get("course_id") == "" || (f.Get("user_id") == "") == (f.Get("user_email") == "") ||
		(role != "learner" && role != "instructor") {
		invalid(w, msgInvalid)
		return
	}
	now := s.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	var u *user
	var msg string
	if id := f.Get("user_id"); id != "" {
		u, msg = s.st.liveUser(id)
	} else {
		u, msg = s.st.userByEmail(f.Get("user_email"))
	}
	c := s.st.courses[f.Get("course_id")]
	switch {
	case u == nil:
		notFound(w, msg)
		return
	case c == nil:
		notFound(w, msgNoCourse)
		return
	case s.st.enrolled[enrolKey{u.id, c.ID}] != nil:
		invalid(w, msgEnrolled)
		return
	}
	s.st.enrol(u, c, Progress{Role: role, EnrolledOn: now})
	// v1 answers an array holding the one enrolment.
	fakeserver.WriteJSON(w, http.StatusOK, []any{map[string]string{"user_id": u.id, "course_id": c.ID, "role": role}})
}

// enrolment finds the user's enrolment for removeuserfromcourse and
// getuserstatusincourse, answering the error itself when there is none.
func (s *Server) enrolment(w http.ResponseWriter, raw string) (*user, *course, *enrolment) {
	p, ok := pathParams(raw, "user_id", "course_id")
	if !ok || len(p) != 2 {
		invalid(w, msgInvalid)
		return nil, nil, nil
	}
	u, msg := s.st.liveUser(p["user_id"])
	c := s.st.courses[p["course_id"]]
	switch {
	case u == nil:
		notFound(w, msg)
	case c == nil:
		notFound(w, msgNoCourse)
	case s.st.enrolled[enrolKey{u.id, c.ID}] == nil:
		invalid(w, msgNotEnrolled)
	default:
		return u, c, s.st.enrolled[enrolKey{u.id, c.ID}]
	}
	return nil, nil, nil
}

func (s *Server) removeUserFromCourse(w http.ResponseWriter, raw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, c, _ := s.enrolment(w, raw)
	if u == nil {
		return
	}
	s.st.unenrol(u, c)
	fakeserver.WriteJSON(w, http.StatusOK, map[string]string{"user_id": u.id, "course_id": c.ID, "course_name": c.Name})
}

func (s *Server) userStatusInCourse(w http.ResponseWriter, raw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, c, e := s.enrolment(w, raw)
	if u == nil {
		return
	}
	m := map[string]any{"role": e.Role, "completion_status": e.statusText()}
	s.st.progressFields(m, e)
	units := make([]any, 0, len(c.Units))
	for _, un := range c.Units {
		units = append(units, map[string]any{
			"id": un.ID, "name": un.Name, "type": un.Type, "completion_status": e.statusText(),
			"completed_on": s.st.fmtDateTime(e.CompletedOn), "completed_on_timestamp": unix(e.CompletedOn),
			"score": "", "total_time": totalTime(0), "total_time_seconds": 0,
		})
	}
	m["units"] = units
	fakeserver.WriteJSON(w, http.StatusOK, m)
}

// Courses returns every course, in creation order.
func (s *Server) Courses() []talentlms.Course {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]talentlms.Course, 0, len(s.st.courseOrder))
	for _, id := range s.st.courseOrder {
		out = append(out, s.st.courses[id].Course)
	}
	return out
}

// Enrollment returns a user's progress in a course; ok is false when the
// user is not enrolled.
func (s *Server) Enrollment(userID, courseID string) (p Progress, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.st.enrolled[enrolKey{userID, courseID}]; e != nil {
		return e.Progress, true
	}
	return Progress{}, false
}

// CourseLearners returns the ids of the users enrolled in a course, in enrolment order.
func (s *Server) CourseLearners(courseID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.st.courses[courseID]; c != nil {
		return slices.Clone(c.learners)
	}
	return nil
}
