package litmostest

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/litmos"
)

func (s *Server) routeCourses(w http.ResponseWriter, r *http.Request, seg []string) {
	switch {
	case len(seg) == 0 && r.Method == http.MethodGet:
		s.listCourses(w, r)
	case len(seg) == 1 && r.Method == http.MethodGet:
		s.getCourse(w, r, seg[0])
	case len(seg) == 2 && seg[1] == "users" && r.Method == http.MethodGet:
		s.listCourseUsers(w, r, seg[0])
	case len(seg) <= 2:
		methodNotAllowed(w, r)
	default:
		replyError(w, r, http.StatusNotFound, "Endpoint not found.")
	}
}

func (s *Server) listCourses(w http.ResponseWriter, r *http.Request) {
	start, limit, search, ok := paging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	var out []litmos.Course
	for _, c := range s.st.courses {
		if search == "" || strings.Contains(strings.ToLower(c.Name+" "+c.Code), strings.ToLower(search)) {
			out = append(out, *c)
		}
	}
	s.mu.Unlock()
	reply(w, r, http.StatusOK, fakeserver.Page(out, start, limit), "Courses", "Course")
}

func (s *Server) getCourse(w http.ResponseWriter, r *http.Request, id string) {
	replyRecord(s, w, r, "Course", func(st *state) *litmos.Course { return st.courseByID[id] })
}

func (s *Server) listUserCourses(w http.ResponseWriter, r *http.Request, userID string) {
	start, limit, _, ok := paging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	u := s.st.userByRef(userID)
	var out []litmos.UserCourse
	if u != nil {
		out = copies(s.st.assigned[u.ID])
	}
	s.mu.Unlock()
	if u == nil {
		replyError(w, r, http.StatusNotFound, "User not found")
		return
	}
	reply(w, r, http.StatusOK, fakeserver.Page(out, start, limit), "Courses", "Course")
}

// readIDs reads a list of {Id} from a JSON array or the XML
// <Outer><Inner><Id>…</Id></Inner></Outer> that Litmos documents.
func readIDs(r *http.Request, outer, inner string) ([]string, bool) {
	body := bodyOf(r)
	var ids []string
	if bodyKind(r) == "json" {
		var refs []struct {
			ID string `json:"Id"`
		}
		if json.Unmarshal(body, &refs) != nil {
			return nil, false
		}
		for _, x := range refs {
			ids = append(ids, x.ID)
		}
		return ids, true
	}
	var doc struct {
		XMLName xml.Name
		Items   []struct {
			XMLName xml.Name
			ID      string `xml:"Id"`
		} `xml:",any"`
	}
	if xml.Unmarshal(body, &doc) != nil || doc.XMLName.Local != outer {
		return nil, false
	}
	for _, it := range doc.Items {
		if it.XMLName.Local != inner {
			return nil, false
		}
		ids = append(ids, it.ID)
	}
	return ids, true
}

// assignCourses emails the learner unless sendmessage=false
// (https://support.litmos.com/hc/en-us/articles/227734967,
// https://api.sap.com/api/LitmosAPIdetails/overview).
func (s *Server) assignCourses(w http.ResponseWriter, r *http.Request, userID string) {
	ids, ok := readIDs(r, "Courses", "Course")
	if !ok {
		replyError(w, r, http.StatusBadRequest, "The request body is not a list of courses")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.userByRef(userID)
	if u == nil {
		replyError(w, r, http.StatusNotFound, "User not found")
		return
	}
	for _, id := range ids {
		if s.st.courseByID[id] == nil {
			replyError(w, r, http.StatusNotFound, "Course not found: "+id)
			return
		}
	}
	email := !strings.EqualFold(r.URL.Query().Get("sendmessage"), "false")
	now := s.Now().UTC().Truncate(1e6)
	for _, id := range ids {
		c := s.st.courseByID[id]
		uc := &litmos.UserCourse{ID: c.ID, Code: c.Code, Name: c.Name,
			Active: true, OriginalID: c.OriginalID, AssignedDate: litmos.NewTime(now), UpToDate: true}
		if s.st.assignment[u.ID][id] != nil || !s.st.assign(u.ID, uc) {
			continue
		}
		if email {
			s.st.messages = append(s.st.messages, Message{Kind: "course", UserID: u.ID, About: id})
		}
	}
	replyEmpty(w, http.StatusCreated)
}

func (s *Server) unassignCourse(w http.ResponseWriter, r *http.Request, userID, courseID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.userByRef(userID)
	if u == nil {
		replyError(w, r, http.StatusNotFound, "User not found")
		return
	}
	uc := s.st.assignment[u.ID][courseID]
	if uc == nil {
		replyError(w, r, http.StatusNotFound, "Course not assigned to the user")
		return
	}
	if uc.IsLearningPath {
		replyError(w, r, http.StatusNotAcceptable, "The course was assigned through a learning path")
		return
	}
	s.st.unassign(u.ID, courseID)
	replyEmpty(w, http.StatusOK)
}

// listCourseUsers serves GET /courses/{id}/users: the users assigned to a
// course with their progress, spelled Completed here, and the due date
// only rosters carry (SetDueDate; https://api.sap.com/api/LitmosAPIdetails/overview).
func (s *Server) listCourseUsers(w http.ResponseWriter, r *http.Request, courseID string) {
	start, limit, search, ok := paging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	c := s.st.courseByID[courseID]
	var out []litmos.CourseUser
	if c != nil {
		for _, id := range s.st.courseUsers[courseID] {
			u, uc := s.st.userByID[id], s.st.assignment[id][courseID]
			if u == nil || uc == nil || !fuzzy(u, search) {
				continue
			}
			out = append(out, litmos.CourseUser{ID: u.ID, UserName: u.UserName, FirstName: u.FirstName, LastName: u.LastName,
				Completed: uc.Complete, PercentageComplete: uc.PercentageComplete, CompliantTill: uc.CompliantTill,
				DueDate: s.st.dueDate[courseID][id], AccessTillDate: uc.AccessTillDate})
		}
	}
	s.mu.Unlock()
	if c == nil {
		replyError(w, r, http.StatusNotFound, "Course not found")
		return
	}
	reply(w, r, http.StatusOK, nonNil(fakeserver.Page(out, start, limit)), "Users", "User")
}

// bodyOf reads the request body (at most 4 MiB; Litmos caps payloads near 2 MB).
func bodyOf(r *http.Request) []byte {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	return b
}
