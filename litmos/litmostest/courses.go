package litmostest

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"slices"
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
	case len(seg) <= 1:
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
	replyRecord(s, w, r, "Course", func(st *state) *litmos.Course { return st.courseByID(id) })
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
		var refs []struct{ Id string }
		if json.Unmarshal(body, &refs) != nil {
			return nil, false
		}
		for _, x := range refs {
			ids = append(ids, x.Id)
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

// assignCourses emails the learner unless sendmessage=false (litmos.md §7.6).
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
		if s.st.courseByID(id) == nil {
			replyError(w, r, http.StatusNotFound, "Course not found: "+id)
			return
		}
	}
	email := !strings.EqualFold(r.URL.Query().Get("sendmessage"), "false")
	now := s.Now().UTC().Truncate(1e6)
	for _, id := range ids {
		list := s.st.assigned[u.ID]
		if slices.ContainsFunc(list, func(x *litmos.UserCourse) bool { return x.ID == id }) {
			continue
		}
		c := s.st.courseByID(id)
		s.st.assigned[u.ID] = append(list, &litmos.UserCourse{ID: c.ID, Code: c.Code, Name: c.Name,
			Active: true, OriginalID: c.OriginalID, AssignedDate: litmos.NewTime(now), UpToDate: true})
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
	list := s.st.assigned[u.ID]
	i := slices.IndexFunc(list, func(x *litmos.UserCourse) bool { return x.ID == courseID })
	if i < 0 {
		replyError(w, r, http.StatusNotFound, "Course not assigned to the user")
		return
	}
	if list[i].IsLearningPath {
		replyError(w, r, http.StatusNotAcceptable, "The course was assigned through a learning path")
		return
	}
	s.st.assigned[u.ID] = slices.Delete(list, i, i+1)
	replyEmpty(w, http.StatusOK)
}

// bodyOf reads the request body (at most 4 MiB; Litmos caps payloads near 2 MB).
func bodyOf(r *http.Request) []byte {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	return b
}
