import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { revealBody } from '@modules/students/students.schemas';
import { useI18n } from '../i18n/I18nProvider';
import { zodRule, validValues } from './formRules';

/**
 * Showing a masked field is a deliberate act: the user states why, the server logs it
 * (个人信息保护法: sensitive personal data of minors, least privilege).
 */
export function RevealModal({ open, fieldLabel, onCancel, onReveal }: {
  open: boolean;
  fieldLabel: string;
  onCancel: () => void;
  onReveal: (reason: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const { reason } = values;
    setBusy(true);
    setError(null);
    try {
      await onReveal(reason.trim());
      form.resetFields();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('reveal.title', { field: fieldLabel })}
      okText={t('reveal.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={() => { setError(null); onCancel(); }}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'reveal-confirm' }}
    >
      <p style={{ color: '#595959' }}>{t('reveal.explain')}</p>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('reveal.reason')} rules={[{ required: true, message: t('reveal.reasonRequired') }, zodRule(revealBody.shape.reason)]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('reveal.reasonPlaceholder')} data-testid="reveal-reason" autoFocus />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}
