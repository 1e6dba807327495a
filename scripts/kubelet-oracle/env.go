// Added to package k8s.io/kubernetes/pkg/kubelet by a build overlay (scripts/kubelet-oracle.sh):
// the kubelet's makeEnvironmentVariables, with a Kubelet that holds only what it reads.

package kubelet

import (
	"context"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
	"k8s.io/kubernetes/pkg/kubelet/configmap"
	"k8s.io/kubernetes/pkg/kubelet/secret"
)

// SvclintEnvironment builds a container's environment as the kubelet does before it starts it.
func SvclintEnvironment(pod *v1.Pod, container *v1.Container, objects []runtime.Object) error {
	client := fake.NewSimpleClientset(objects...)
	kl := &Kubelet{
		kubeClient:       client,
		configMapManager: configmap.NewSimpleConfigMapManager(client),
		secretManager:    secret.NewSimpleSecretManager(client),
		serviceLister:    corelisters.NewServiceLister(cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})),
		serviceHasSynced: func() bool { return true },
	}
	_, err := kl.makeEnvironmentVariables(context.Background(), pod, container, "10.244.0.5", []string{"10.244.0.5"}, nil)
	return err
}
