// Added to package k8s.io/kubernetes/pkg/kubelet/kuberuntime by scripts/kubelet-oracle.sh:
// the kubelet's check of runAsNonRoot before it starts a container, given the image's user.

package kuberuntime

import (
	"context"

	v1 "k8s.io/api/core/v1"
)

// SvclintVerifyRunAsNonRoot is verifyRunAsNonRoot for an image whose configuration says uid or username.
func SvclintVerifyRunAsNonRoot(pod *v1.Pod, container *v1.Container, uid *int64, username string) error {
	return verifyRunAsNonRoot(context.Background(), pod, container, uid, username)
}
