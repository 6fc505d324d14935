// 分析量表 on the case page: the causes (智力, 心理, 家庭, 行为习惯, 品德 — several may apply, each
// with a note) and the strategies kept on the 教学线 and 德育线. The suggestion for the ticked causes
// comes from GET /api/support/strategies and fills the two lists until the person edits them;
// "按成因填入建议" fills them again. Saved with PUT /api/support/cases/:id/analysis.
import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Flex, Input, Modal, Typography, message } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CAUSES, STRATEGY_LINES, type Cause, type StrategyLine, type StrategyItem } from '@modules/support/support.schemas';
import { api } from '../../api/client';
import type { SupportCaseDetail } from '../../api/types';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';

type Lists = Record<StrategyLine, string[]>;

export function CaseAnalysisEditor({ detail, open, onClose }: { detail: SupportCaseDetail; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const stored = detail.analysis;
  const [notes, setNotes] = useState<Partial<Record<Cause, string>>>({});
  const [checked, setChecked] = useState<Cause[]>([]);
  const [lists, setLists] = useState<Lists>({ teaching: [], moral: [] });
  // the lists follow the suggestion until the person edits them (a stored analysis counts as edited)
  const [edited, setEdited] = useState(false);

  useEffect(() => {
    if (!open) return;
    setChecked(stored?.causes.map((c) => c.cause) ?? []);
    setNotes(Object.fromEntries((stored?.causes ?? []).map((c) => [c.cause, c.note ?? ''])));
    setLists({ teaching: [...(stored?.strategies.teaching ?? [])], moral: [...(stored?.strategies.moral ?? [])] });
    setEdited(!!stored);
  }, [open, stored]);

  const causesParam = CAUSES.filter((c) => checked.includes(c)).join(',');
  const suggestion = useQuery({
    queryKey: ['support', 'strategies', causesParam],
    queryFn: () => api.get<Record<StrategyLine, StrategyItem[]>>('/api/support/strategies', { causes: causesParam }),
    enabled: open,
    staleTime: Infinity,
  });
  const suggested: Lists = { teaching: suggestion.data?.teaching.map((s) => s.text) ?? [], moral: suggestion.data?.moral.map((s) => s.text) ?? [] };
  const shown = edited ? lists : suggested;

  const save = useMutation({
    mutationFn: () => api.put<SupportCaseDetail>(`/api/support/cases/${detail.id}/analysis`, {
      causes: CAUSES.filter((c) => checked.includes(c)).map((cause) => ({ cause, ...(notes[cause]?.trim() ? { note: notes[cause]!.trim() } : {}) })),
      strategies: {
        teaching: shown.teaching.map((s) => s.trim()).filter(Boolean),
        moral: shown.moral.map((s) => s.trim()).filter(Boolean),
      },
    }),
    onSuccess: (d) => {
      qc.setQueryData(['support', 'case', String(detail.id)], d);
      void qc.invalidateQueries({ queryKey: ['support'] });
      void message.success(t('support.analysis.saved'));
      onClose();
    },
    onError: (e) => void message.error((e as Error).message),
  });

  const edit = (line: StrategyLine, f: (l: string[]) => string[]) => {
    const base = edited ? lists : suggested;
    setLists({ ...base, [line]: f([...base[line]]) });
    setEdited(true);
  };

  return (
    <Modal
      open={open}
      title={t('support.analysis.title')}
      onCancel={onClose}
      width={isMobile ? '100%' : 720}
      style={isMobile ? { top: 8, maxWidth: '100vw', paddingBottom: 0 } : undefined}
      okText={t('support.analysis.save')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'support-analysis-save' } as never}
      onOk={() => save.mutate()}
      destroyOnHidden
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('support.analysis.privacy')} />
      <Typography.Text strong>{t('support.analysis.causes')}</Typography.Text>
      <Flex vertical gap={8} style={{ margin: '8px 0 16px' }} data-testid="support-analysis-causes">
        {CAUSES.map((c) => (
          <div key={c}>
            <Checkbox
              checked={checked.includes(c)}
              onChange={(e) => setChecked(e.target.checked ? [...checked, c] : checked.filter((x) => x !== c))}
              data-testid={`support-analysis-cause-${c}`}
              style={{ fontSize: 16 }}
            >
              {t(`support.cause.${c}`)}
            </Checkbox>
            {checked.includes(c) && (
              <Input.TextArea
                autoSize={{ minRows: 1, maxRows: 4 }}
                maxLength={500}
                value={notes[c] ?? ''}
                onChange={(e) => setNotes({ ...notes, [c]: e.target.value })}
                placeholder={t('support.analysis.notePlaceholder')}
                style={{ marginTop: 4, fontSize: 16 }}
                data-testid={`support-analysis-note-${c}`}
              />
            )}
          </div>
        ))}
      </Flex>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text strong>{t('support.analysis.strategies')}</Typography.Text>
        <Button size="small" onClick={() => { setEdited(false); setLists(suggested); }} disabled={checked.length === 0} data-testid="support-analysis-suggest">
          {t('support.analysis.fillSuggestion')}
        </Button>
      </Flex>
      {!edited && <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0' }}>{t('support.analysis.followsCauses')}</Typography.Paragraph>}
      {STRATEGY_LINES.map((line) => (
        <div key={line} style={{ marginTop: 8 }} data-testid={`support-analysis-line-${line}`}>
          <Typography.Text>{t(`support.case.line.${line}`)}</Typography.Text>
          <Flex vertical gap={4} style={{ marginTop: 4 }}>
            {shown[line].map((s, i) => (
              <Flex key={i} gap={4} align="start">
                <Input.TextArea
                  autoSize={{ minRows: 1, maxRows: 4 }}
                  maxLength={300}
                  value={s}
                  onChange={(e) => edit(line, (l) => { l[i] = e.target.value; return l; })}
                  data-testid="support-analysis-strategy"
                />
                <Button type="text" icon={<DeleteOutlined />} aria-label={t('support.analysis.removeStrategy')} onClick={() => edit(line, (l) => l.filter((_, j) => j !== i))} />
              </Flex>
            ))}
            <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => edit(line, (l) => [...l, ''])} style={{ alignSelf: 'flex-start' }}>
              {t('support.analysis.addStrategy')}
            </Button>
          </Flex>
        </div>
      ))}
    </Modal>
  );
}
