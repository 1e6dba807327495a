// The kubelet's own code on generated pods: for each container, the error building its
// environment (makeEnvironmentVariables, through the package overlay in env.go); for each
// volume the kubelet sets up, the error of the ConfigMap, Secret or projected volume's
// payload (the plugins' MakePayload, after their lookup of the object); and the HTTP
// prober on an httpGet action (probe.go). Reads one JSON case per line on stdin, writes one
// JSON answer per line.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kubernetes/pkg/kubelet"
	"k8s.io/kubernetes/pkg/kubelet/kuberuntime"
	"k8s.io/kubernetes/pkg/volume/configmap"
	"k8s.io/kubernetes/pkg/volume/secret"
	volumeutil "k8s.io/kubernetes/pkg/volume/util"
)

type input struct {
	Pod        v1.Pod         `json:"pod"`
	ConfigMaps []v1.ConfigMap `json:"configMaps"`
	Secrets    []v1.Secret    `json:"secrets"`
	// Container name → the user its image's configuration names (a uid, or a user name); absent: no USER, root.
	ImageUsers map[string]imageUser `json:"imageUsers"`
	// An httpGet probe to run instead (probe.go).
	Probe *probeCase `json:"probe"`
}

type imageUser struct {
	UID      *int64 `json:"uid"`
	Username string `json:"username"`
}

type answer struct {
	// Container name → the kubelet's error, "" when its environment is built.
	Containers map[string]string `json:"containers"`
	// Volume name → the volume plugin's error, "" when it sets up; unused volumes are left out.
	Volumes map[string]string `json:"volumes"`
	// Container name → the error of the kubelet's runAsNonRoot check, "" when it passes.
	NonRoot map[string]string `json:"nonRoot"`
	// The prober's result for a probe case.
	Probe string `json:"probe,omitempty"`
	Error string `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c input
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			_ = out.Encode(answer{Error: err.Error()})
			continue
		}
		if c.Probe != nil {
			_ = out.Encode(answer{Probe: runProbe(c.Probe)})
			continue
		}
		_ = out.Encode(judge(&c))
	}
}

func judge(c *input) answer {
	a := answer{Containers: map[string]string{}, Volumes: map[string]string{}, NonRoot: map[string]string{}}
	pod := &c.Pod
	if pod.Namespace == "" {
		pod.Namespace = "default"
	}
	links := true
	if pod.Spec.EnableServiceLinks == nil {
		pod.Spec.EnableServiceLinks = &links
	}
	objs := []runtime.Object{}
	cms := map[string]*v1.ConfigMap{}
	secrets := map[string]*v1.Secret{}
	for i := range c.ConfigMaps {
		objs = append(objs, &c.ConfigMaps[i])
		if c.ConfigMaps[i].Namespace == pod.Namespace {
			cms[c.ConfigMaps[i].Name] = &c.ConfigMaps[i]
		}
	}
	for i := range c.Secrets {
		// The API server merges stringData into data.
		s := &c.Secrets[i]
		for k, v := range s.StringData {
			if s.Data == nil {
				s.Data = map[string][]byte{}
			}
			s.Data[k] = []byte(v)
		}
		s.StringData = nil
		objs = append(objs, s)
		if s.Namespace == pod.Namespace {
			secrets[s.Name] = s
		}
	}
	for _, list := range [][]v1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for i := range list {
			a.Containers[list[i].Name] = errText(kubelet.SvclintEnvironment(pod, &list[i], objs))
			// What getImageUser gives for the image: its uid, else its user name, else root.
			u, ok := c.ImageUsers[list[i].Name]
			uid := u.UID
			if !ok || (u.UID == nil && u.Username == "") {
				uid = new(int64)
			}
			a.NonRoot[list[i].Name] = errText(kuberuntime.SvclintVerifyRunAsNonRoot(pod, &list[i], uid, u.Username))
		}
	}
	mounts, devices, _ := volumeutil.GetPodVolumeNames(pod, false)
	for _, vol := range pod.Spec.Volumes {
		if !mounts.Has(vol.Name) && !devices.Has(vol.Name) {
			continue
		}
		a.Volumes[vol.Name] = errText(volumeError(vol, pod.Namespace, cms, secrets))
	}
	return a
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func notFound(kind, name string) error {
	return errors.NewNotFound(v1.Resource(kind), name)
}

// The lookup each plugin makes before its payload (configmap.go, secret.go, projected.go SetUpAt / collectData).
func volumeError(vol v1.Volume, ns string, cms map[string]*v1.ConfigMap, secrets map[string]*v1.Secret) error {
	// What the API server defaults defaultMode to.
	mode := int32(0o644)
	cmPayload := func(items []v1.KeyToPath, name string, optional bool) error {
		cm, ok := cms[name]
		if !ok {
			if !optional {
				return notFound("configmap", name)
			}
			cm = &v1.ConfigMap{}
		}
		_, err := configmap.MakePayload(items, cm, &mode, optional)
		return err
	}
	secretPayload := func(items []v1.KeyToPath, name string, optional bool) error {
		s, ok := secrets[name]
		if !ok {
			if !optional {
				return notFound("secret", name)
			}
			s = &v1.Secret{}
		}
		_, err := secret.MakePayload(items, s, &mode, optional)
		return err
	}
	opt := func(b *bool) bool { return b != nil && *b }
	switch {
	case vol.ConfigMap != nil:
		return cmPayload(vol.ConfigMap.Items, vol.ConfigMap.Name, opt(vol.ConfigMap.Optional))
	case vol.Secret != nil:
		return secretPayload(vol.Secret.Items, vol.Secret.SecretName, opt(vol.Secret.Optional))
	case vol.Projected != nil:
		var errs []error
		for _, s := range vol.Projected.Sources {
			if s.ConfigMap != nil {
				if err := cmPayload(s.ConfigMap.Items, s.ConfigMap.Name, opt(s.ConfigMap.Optional)); err != nil {
					errs = append(errs, err)
				}
			}
			if s.Secret != nil {
				if err := secretPayload(s.Secret.Items, s.Secret.Name, opt(s.Secret.Optional)); err != nil {
					errs = append(errs, err)
				}
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("%v", errs)
		}
	}
	return nil
}
