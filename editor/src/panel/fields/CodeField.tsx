import { javascript } from '@codemirror/lang-javascript';
import CodeMirror from '@uiw/react-codemirror';
import { useMemo } from 'react';
import { asText, type FieldProps } from './types.js';

/** CodeMirror with JavaScript highlighting (function node's func, initialize, finalize). */
export function CodeField({ plan, obj, onPatch, testId }: FieldProps) {
  const language = plan.field.kind === 'code' ? plan.field.language : 'text';
  const extensions = useMemo(() => (language === 'javascript' ? [javascript()] : []), [language]);
  return (
    <div className="gf-code" data-testid={testId}>
      <CodeMirror
        value={asText(obj[plan.key])}
        extensions={extensions}
        height={plan.key === 'func' ? '220px' : '90px'}
        basicSetup={{ lineNumbers: true, foldGutter: false, highlightActiveLine: true }}
        onChange={(v) => onPatch({ [plan.key]: v })}
      />
    </div>
  );
}
