package main

// The kubelet's HTTP prober (pkg/probe/http: the request it builds for an httpGet action and
// the client it probes with) against servers this program starts: one that speaks TLS, with a
// self-signed certificate as most servers inside pods have, and one that speaks plain HTTP.
// Both answer 200 to every request.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	probehttp "k8s.io/kubernetes/pkg/probe/http"
)

type probeCase struct {
	HTTPGet v1.HTTPGetAction `json:"httpGet"`
	// "tls" or "plain": what the server on the probed port speaks.
	Server string `json:"server"`
}

var probeServers = map[string]*httptest.Server{}

func probeServer(kind string) *httptest.Server {
	if s, ok := probeServers[kind]; ok {
		return s
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	var s *httptest.Server
	if kind == "tls" {
		s = httptest.NewTLSServer(ok)
	} else {
		s = httptest.NewServer(ok)
	}
	probeServers[kind] = s
	return s
}

// The prober's result ("success", "failure") and its output, as the kubelet records them.
func runProbe(c *probeCase) string {
	u, err := url.Parse(probeServer(c.Server).URL)
	if err != nil {
		return "error: " + err.Error()
	}
	port, _ := strconv.Atoi(u.Port())
	action := c.HTTPGet
	action.Port = intstr.FromInt32(int32(port))
	req, err := probehttp.NewRequestForHTTPGetAction(&action, &v1.Container{}, "127.0.0.1", "probe")
	if err != nil {
		return "error: " + err.Error()
	}
	// What the kubelet's prober uses: redirects to other hosts are not followed.
	result, output, err := probehttp.New(false).Probe(req, 5*time.Second)
	if err != nil {
		return "error: " + err.Error()
	}
	return string(result) + ": " + output
}
