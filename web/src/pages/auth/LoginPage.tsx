import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../api/client';
import { fetchMe, ME_KEY } from '../../api/session';
import { useI18n } from '../../i18n/I18nProvider';
import { PublicPage } from '../../layout/PublicPage';

/** Only paths inside this app: a crafted ?from= must not send the user elsewhere. */
function safeReturnPath(from: string | null): string {
  return from && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

export default function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      setCsrfToken(null);
      queryClient.clear();
      await api.post('/api/auth/login', { username: values.username.trim(), password: values.password }, { redirectOnAuth: false, csrf: false });
      const me = await fetchMe();
      queryClient.setQueryData(ME_KEY, me);
      navigate(me.mustChangePassword ? '/change-password' : safeReturnPath(params.get('from')), { replace: true });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicPage>
      <Card title={t('login.title')} styles={{ header: { textAlign: 'center', fontSize: 18 } }}>
        <Form layout="vertical" onFinish={submit} initialValues={{ username: params.get('username') ?? '' }} requiredMark={false} data-testid="login-form">
          <Form.Item name="username" label={t('common.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input
              size="large"
              prefix={<UserOutlined />}
              autoComplete="username"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              autoFocus={!params.get('username')}
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item name="password" label={t('common.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password size="large" prefix={<LockOutlined />} autoComplete="current-password" autoFocus={!!params.get('username')} data-testid="login-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" role="alert" />}
          <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </PublicPage>
  );
}
