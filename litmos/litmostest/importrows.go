package litmostest

import (
	"strconv"
	"strings"
	"time"

	"github.com/rostersync/rostersync/litmos"
)

// importAccessLevels maps the AccessLevel values the fake takes: the
// documented letters and the one documented number (2, Account Owner);
// 3 is Administrator in an open-source client. Litmos's schema allows 2
// to 5, whose meaning it does not give, so the fake refuses 4 and 5.
var importAccessLevels = map[string]string{
	"L": "Learner", "TL": "Team_Leader", "TA": "Team_Leader", "2": "Account_Owner", "3": "Administrator",
}

// importRefs are a row's references, resolved before anything is written.
type importRefs struct {
	manager string // user id
	teams   []string
	courses []*litmos.Course
	access  string
	active  *bool
	expires time.Time
}

// resolve checks what a row names; it returns why it refuses the row, or "".
func (st *state) resolve(row importRow) (importRefs, string) {
	var refs importRefs
	if m := row["Manager"]; m != "" {
		u := st.userByRef(m)
		if u == nil {
			return refs, "Manager " + m + " not found"
		}
		refs.manager = u.ID
	}
	for i := 1; i <= 5; i++ {
		if code := row["Team"+strconv.Itoa(i)]; code != "" {
			t := st.teamByCode[code]
			if t == nil {
				return refs, "Team code " + code + " not found"
			}
			refs.teams = append(refs.teams, t.ID)
		}
	}
	for i := 1; i <= 3; i++ {
		if code := row["Course"+strconv.Itoa(i)]; code != "" {
			c := st.courseByCode[code]
			if c == nil {
				return refs, "Course code " + code + " not found"
			}
			refs.courses = append(refs.courses, c)
		}
	}
	// The doc: InactiveDate and AccessLevel, when passed, need a value.
	if v, ok := row["AccessLevel"]; ok {
		if refs.access = importAccessLevels[v]; refs.access == "" {
			return refs, "AccessLevel " + strconv.Quote(v) + " is not valid"
		}
	}
	if v, ok := row["Active"]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return refs, "Active " + strconv.Quote(v) + " is not true or false"
		}
		refs.active = &b
	}
	if v, ok := row["InActiveDate"]; ok {
		t, err := time.Parse("2006-01-02T15:04:05", v)
		if err != nil {
			return refs, "InActiveDate " + strconv.Quote(v) + " is not a date"
		}
		refs.expires = t
	}
	return refs, ""
}

// importRow creates or updates the row's user (fields not given keep their
// value); it returns why it refuses the row, or "".
func (s *Server) importRow(row importRow, job *litmos.BulkImport) string {
	st := s.st
	name := strings.TrimSpace(row["Username"])
	switch {
	case len([]rune(name)) < 3:
		return "Username must have at least 3 characters"
	case row["FirstName"] == "" || row["LastName"] == "":
		return "FirstName and LastName are required"
	case row["Email"] == "":
		return "Email is required"
	}
	refs, msg := st.resolve(row)
	if msg != "" {
		return msg
	}
	old := st.userByName[nameKey(name)]
	u := litmos.User{UserName: name, IsCustomUsername: !isEmail(name), Active: true}
	if old != nil {
		u = userCopy(old)
	}
	applyImport(&u, row, refs)
	now := s.Now()
	if old == nil {
		st.fillNewUser(&u, now)
		u.SkipFirstLogin = job.SkipFirstLogin
		u = withNulls(u)
		stored := u
		st.addUser(&stored)
		job.TotalUsersCreated++
		if job.SendEmails {
			st.messages = append(st.messages, Message{Kind: "welcome", UserID: u.ID})
		}
	} else {
		st.replaceUser(old, u)
		st.updated[u.ID] = now
	}
	for _, t := range refs.teams {
		st.addMember(t, u.ID)
	}
	for _, c := range refs.courses {
		if st.assignment[u.ID][c.ID] == nil {
			st.assign(u.ID, &litmos.UserCourse{ID: c.ID, Code: c.Code, Name: c.Name, Active: true,
				OriginalID: c.OriginalID, AssignedDate: litmos.NewTime(now.UTC().Truncate(time.Millisecond)), UpToDate: true})
		}
	}
	return ""
}

// applyImport copies the row's non-empty fields into u.
func applyImport(u *litmos.User, row importRow, refs importRefs) {
	set := func(dst *string, key string) {
		if v := row[key]; v != "" {
			*dst = v
		}
	}
	for key, dst := range map[string]*string{
		"Email": &u.Email, "FirstName": &u.FirstName, "LastName": &u.LastName, "Phone": &u.PhoneWork,
		"Mobile": &u.PhoneMobile, "Skype": &u.Skype, "Title": &u.JobTitle, "CompanyName": &u.CompanyName,
		"WebSite": &u.Website, "Twitter": &u.Twitter, "Address1": &u.Street1, "Address2": &u.Street2,
		"City": &u.City, "State": &u.State, "Zip": &u.PostalCode, "Country": &u.Country,
		"CustomField1": &u.CustomField1, "CustomField2": &u.CustomField2, "CustomField3": &u.CustomField3,
		"CustomField4": &u.CustomField4, "CustomField5": &u.CustomField5, "CustomField6": &u.CustomField6,
		"CustomField7": &u.CustomField7, "CustomField8": &u.CustomField8, "CustomField9": &u.CustomField9,
		"CustomField10": &u.CustomField10, "SalesforceId": &u.SalesforceID, "SalesforceContactId": &u.SalesforceContactID,
		"SalesforceAccountId": &u.SalesforceAccountID, "Brand": &u.Brand, "Culture": &u.Culture,
		"JobRole": &u.JobRole, "ExternalEmployeeId": &u.ExternalEmployeeID,
	} {
		set(dst, key)
	}
	u.FullName = strings.TrimSpace(u.FirstName + " " + u.LastName)
	if refs.manager != "" {
		u.ManagerID = refs.manager
	}
	if refs.access != "" {
		u.AccessLevel = refs.access
	}
	if refs.active != nil {
		u.Active = *refs.active
	}
	if !refs.expires.IsZero() {
		u.ExpirationDate = litmos.NewTime(refs.expires) // the fake's reading of InActiveDate
	}
}
