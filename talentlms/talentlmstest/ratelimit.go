package talentlmstest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talentlms"
)

// hourly is the portal's hourly quota: a window that opens with the first
// request after the last one closed and lasts an hour.
type hourly struct {
	limit int // 0: off
	start time.Time
	used  int
}

// SetHourlyLimit sets the hourly quota and starts a new window; 0 turns it off.
func (s *Server) SetHourlyLimit(n int) {
	if n < 0 {
		n = 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hour = hourly{limit: n}
}

// SetHourlyWindow opens the hour's window at start with used requests
// already counted, so a test can spend a quota or make one reset soon
// (start an hour before the reset it wants).
func (s *Server) SetHourlyWindow(start time.Time, used int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hour.start, s.hour.used = start, max(used, 0)
}

// HourlyUsed returns how many requests the current hour's window counted.
func (s *Server) HourlyUsed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hour.used
}

// admit counts a request against the hour, sets the X-RateLimit headers,
// and answers 429 (with no Retry-After: only X-RateLimit-Reset says when)
// once the hour's budget is spent. GET ratelimit is not counted.
func (s *Server) admit(w http.ResponseWriter, action string) bool {
	now := s.Now()
	s.mu.Lock()
	h := &s.hour
	if h.limit == 0 {
		s.mu.Unlock()
		return true
	}
	if h.start.IsZero() || !now.Before(h.start.Add(time.Hour)) {
		h.start, h.used = now, 0
	}
	over := h.used >= h.limit
	if !over && action != "ratelimit" {
		h.used++
	}
	limit, remaining, reset := h.limit, h.limit-h.used, h.start.Add(time.Hour)
	s.mu.Unlock()
	hd := w.Header()
	hd.Set(talentlms.HeaderRateLimitLimit, strconv.Itoa(limit))
	hd.Set(talentlms.HeaderRateLimitRemaining, strconv.Itoa(remaining))
	hd.Set(talentlms.HeaderRateLimitReset, strconv.FormatInt(reset.Unix(), 10))
	if over && action != "ratelimit" {
		replyError(w, http.StatusTooManyRequests, msgRateLimit)
		return false
	}
	return true
}

func (s *Server) rateLimit(w http.ResponseWriter, raw string) {
	if raw != "" {
		invalid(w, msgInvalid)
		return
	}
	now := s.Now()
	s.mu.Lock()
	h := s.hour
	df := s.st.df
	s.mu.Unlock()
	limit, remaining, reset := h.limit, h.limit-h.used, h.start.Add(time.Hour)
	if h.limit == 0 {
		limit, remaining, reset = 1_000_000, 1_000_000, now.Add(time.Hour)
	}
	fakeserver.WriteJSON(w, http.StatusOK, map[string]any{
		"limit": strconv.Itoa(limit), "remaining": remaining, "reset": strconv.FormatInt(reset.Unix(), 10),
		"formatted_reset": reset.UTC().Format(df.DateLayout() + ", 15:04"),
	})
}

func (s *Server) siteInfo(w http.ResponseWriter, raw string) {
	if raw != "" {
		invalid(w, msgInvalid)
		return
	}
	s.mu.Lock()
	st := s.st
	out := map[string]any{
		"total_users": strconv.Itoa(len(st.userOrder)), "total_courses": strconv.Itoa(len(st.courseOrder)),
		"total_categories": "0", "total_groups": "0", "total_branches": strconv.Itoa(len(st.branchOrder)),
		"monthly_active_users": len(st.userOrder), "signup_method": "manual", "paypal_email": "",
		"domain_map": "", "date_format": string(st.df),
	}
	s.mu.Unlock()
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

// SetDateFormat changes the portal's date format setting.
func (s *Server) SetDateFormat(f talentlms.DateFormat) {
	if _, err := talentlms.ParseDateFormat(string(f)); err != nil {
		s.fail("SetDateFormat: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.df = f
}
