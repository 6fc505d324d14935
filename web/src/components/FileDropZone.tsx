// The file picker of an upload: a dashed drop area around a hidden <input type=file>, usable by
// click, by keyboard (the label) and by dragging a file onto it. Shared by the roster import and
// the exam score upload.
import { useState, type DragEvent } from 'react';
import { InboxOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import { useIsMobile } from './useIsMobile';

export function FileDropZone(props: {
  /** the input's id (the label points at it) */
  id: string;
  accept: string;
  /** an upload is under way: no new file is taken */
  busy: boolean;
  onFile: (file: File) => void;
  title: string;
  hint: string;
  ariaLabel: string;
  testId: string;
  /** smaller, for a drop area inside a card or a modal */
  compact?: boolean;
  hidden?: boolean;
}) {
  const isMobile = useIsMobile();
  const [dragging, setDragging] = useState(false);
  const { compact = false } = props;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && !props.busy) props.onFile(file);
  };
  const padding = compact ? (isMobile ? '18px 12px' : '28px 16px') : isMobile ? '20px 12px' : '32px 16px';
  return (
    <label
      hidden={props.hidden}
      htmlFor={props.id}
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      style={{
        display: 'block', textAlign: 'center', padding, borderRadius: 8, cursor: props.busy ? 'not-allowed' : 'pointer',
        border: `1px dashed ${dragging ? '#1677ff' : '#d9d9d9'}`, background: dragging ? '#e6f4ff' : '#fafafa', transition: 'all .2s',
      }}
    >
      <InboxOutlined style={{ fontSize: compact ? 36 : 40, color: '#1677ff' }} />
      <div style={{ fontSize: compact ? 15 : 16, margin: '8px 0 4px' }}>{props.title}</div>
      <Typography.Text type="secondary" style={compact ? { fontSize: 12 } : undefined}>{props.hint}</Typography.Text>
      <input
        id={props.id}
        type="file"
        accept={props.accept}
        className="visually-hidden"
        data-testid={props.testId}
        aria-label={props.ariaLabel}
        disabled={props.busy}
        onChange={(e) => {
          const f = e.target.files?.[0];
          // cleared at once, so that choosing the same file again (after fixing it) uploads it again
          e.target.value = '';
          if (f) props.onFile(f);
        }}
      />
    </label>
  );
}
