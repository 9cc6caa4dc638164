package httpx

// maxErrorBody bounds the error reply body an APIError keeps for Body.
const maxErrorBody = 64 << 10

// Body returns the body of the error reply, redacted like Message (every
// secret and credential the request carried is replaced by "REDACTED"),
// at most 64 KiB. A vendor's WrapAPIError reads structured details from
// it that Code and Message cannot hold, such as per-field validation
// errors. It returns a copy; nil when the reply had no body.
func (e *APIError) Body() []byte {
	if len(e.body) == 0 {
		return nil
	}
	return append([]byte(nil), e.body...)
}

// errorBody is body, cut to maxErrorBody and redacted, for APIError.Body.
func errorBody(body []byte, secrets []string) []byte {
	if len(body) == 0 {
		return nil
	}
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	return []byte(Redact(string(body), secrets...))
}
