package talenthr_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

func validHire(srv *talenthrtest.Server) talenthr.HireParams {
	return talenthr.HireParams{FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.test",
		HireDate: talenthr.NewDate(2026, 3, 1), EmploymentStatusID: srv.LookupID(talenthr.EmploymentStatuses, "Full-Time")}
}

// TestHireValidation: each required field missing, and each malformed
// value, is refused before anything is sent, with an error naming it.
func TestHireValidation(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t)
	tests := []struct {
		name   string
		mutate func(*talenthr.HireParams)
		want   string
	}{
		{"no first name", func(p *talenthr.HireParams) { p.FirstName = " " }, "first_name is required"},
		{"no last name", func(p *talenthr.HireParams) { p.LastName = "" }, "last_name is required"},
		{"no email", func(p *talenthr.HireParams) { p.Email = "" }, "email is required"},
		{"no hire date", func(p *talenthr.HireParams) { p.HireDate = talenthr.Date{} }, "hire_date is required"},
		{"no employment status", func(p *talenthr.HireParams) { p.EmploymentStatusID = "" }, "employment_status.employment_status_id is required"},
		{"bad email", func(p *talenthr.HireParams) { p.Email = "Ada <ada@acme.test>" }, "is not an email address"},
		{"impossible date", func(p *talenthr.HireParams) { p.HireDate = talenthr.Date{Year: 2026, Month: 2, Day: 30} }, "not a calendar date"},
		{"bad status id", func(p *talenthr.HireParams) { p.EmploymentStatusID = "full-time" }, "employment_status_id: id"},
		{"bad manager id", func(p *talenthr.HireParams) { p.ReportsToEmployeeID = "-1" }, "reports_to_employee_id: id"},
		{"bad job title id", func(p *talenthr.HireParams) { p.JobRecord = &talenthr.JobRecord{JobTitleID: "x"} }, "job_record.job_title_id"},
		{"pay rate with 3 decimals", func(p *talenthr.HireParams) {
			p.CompensationRecord = &talenthr.CompensationRecord{PayRate: "10.123", PayRatePeriod: "month"}
		}, "pay_rate"},
		{"bad pay period", func(p *talenthr.HireParams) {
			p.CompensationRecord = &talenthr.CompensationRecord{PayRate: "10", PayRatePeriod: "fortnight"}
		}, "pay_rate_period"},
		{"hire packet half set", func(p *talenthr.HireParams) { p.HirePacket = &talenthr.HirePacket{Address: "HQ"} }, "go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validHire(srv)
			tt.mutate(&p)
			_, err := c.Hire(ctx, p)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "talenthr: hire ") {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if n := srv.Log().Count(nil); n != 0 {
		t.Errorf("%d requests sent for refused hires", n)
	}
}

// TestHireVendorRefusals: what only TalentHR can know comes back as its
// 422, with the field named.
func TestHireVendorRefusals(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	srv.SeedCompany()
	c := srv.NewClient(t)
	for _, tt := range []struct {
		name   string
		mutate func(*talenthr.HireParams)
		want   string
	}{
		{"email taken", func(p *talenthr.HireParams) { p.Email = "mioannou@acme.test" }, "email: The email has already been taken."},
		{"unknown status", func(p *talenthr.HireParams) { p.EmploymentStatusID = "99" }, "employment_status.employment_status_id: The selected employment status.employment status id is invalid."},
		{"unknown manager", func(p *talenthr.HireParams) { p.ReportsToEmployeeID = "999" }, "reports_to_employee_id: The selected reports to employee id is invalid."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := validHire(srv)
			tt.mutate(&p)
			_, err := c.Hire(ctx, p)
			var apiErr *talenthr.APIError
			if !errors.Is(err, talenthr.ErrInvalid) || !errors.As(err, &apiErr) || !strings.Contains(apiErr.Message, tt.want) {
				t.Fatalf("err = %v, want 422 with %q", err, tt.want)
			}
		})
	}
}

// TestHireEmailsOnlyWhenAsked: no invitation unless SendInvitationEmail.
func TestHireEmailsOnlyWhenAsked(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	c := srv.NewClient(t)
	quiet, err := c.Hire(ctx, validHire(srv))
	if err != nil {
		t.Fatal(err)
	}
	p := validHire(srv)
	p.Email, p.SendInvitationEmail = "grace@acme.test", true
	p.HirePacket = &talenthr.HirePacket{WhoID: quiet, Address: "HQ", When: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)}
	invited, err := c.Hire(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Invitations()
	if len(got) != 1 || got[0].EmployeeID != invited || got[0].Email != "grace@acme.test" {
		t.Errorf("invitations %+v, want only %s", got, invited)
	}
	e, _ := srv.Employee(quiet)
	if !e.PreventEmail || e.HireDate != "2026-03-01" {
		t.Errorf("stored hire %+v", e)
	}
}
