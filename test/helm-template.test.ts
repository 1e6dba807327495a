import { describe, expect, it } from 'vitest';
import { templateDocuments, templateLocation } from '../src/engine/helm-template.js';

const file = (text: string) => ({ path: 't.yaml', text });

describe('positions in a Helm template', () => {
  it('are found by path in the template with its actions blanked, offset for offset', () => {
    const f = file(`apiVersion: v1
kind: Service
metadata:
  name: {{ include "x.fullname" . }}
  labels:
    {{- include "x.labels" . | nindent 4 }}
spec:
  {{- if .Values.headless }}
  clusterIP: None
  {{- end }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: {{ .Values.service.targetPort | default "http" }}
`);
    expect(templateDocuments(f)).toBe(1);
    expect(templateLocation(f, 0, ['spec', 'ports', 0, 'targetPort'])).toMatchObject({ line: 13, column: 19 });
    expect(templateLocation(f, 0, ['metadata', 'name'])).toMatchObject({ line: 4, column: 9 });
    expect(templateLocation(f, 0, ['spec', 'clusterIP'])).toMatchObject({ line: 9, column: 14 });
    // What an action renders (the labels an include writes) is not in the template: no position.
    expect(templateLocation(f, 0, ['metadata', 'labels', 'app'])).toBeUndefined();
    expect(templateLocation(f, 0, ['spec', 'ports', 1, 'port'])).toBeUndefined();
  });

  it('are not guessed where branches or documents depend on values', () => {
    const branches = file(`kind: Service
spec:
  {{- if .Values.a }}
  type: NodePort
  {{- else }}
  type: ClusterIP
  {{- end }}
`);
    // Both branches stay in the skeleton: a key twice is no document to look in.
    expect(templateLocation(branches, 0, ['spec', 'type'])).toBeUndefined();
    const docs = file(`kind: Service
metadata: {name: a}
{{- if .Values.extra }}
---
kind: Service
metadata: {name: b}
{{- end }}
---
# only a comment
{{/* and an action */}}
`);
    expect(templateDocuments(docs)).toBe(2);
    expect(templateLocation(docs, 1, ['metadata', 'name'])).toMatchObject({ line: 6 });
    expect(templateLocation(docs, 2, ['metadata', 'name'])).toBeUndefined();
  });
});
