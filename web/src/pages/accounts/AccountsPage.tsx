import { useState } from 'react';
import { Alert, Button, Flex, Form, Input, Modal, Popconfirm, Select, Space, Tag, Typography, message } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { ROLE_INFO, ROLES, type Role } from '@shared/roles';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Account, Paged } from '../../api/types';
import { PagedQueryList } from '../../components/DataList';
import { FilterBar } from '../../components/FilterBar';
import { PageHeader } from '../../components/PageHeader';
import { SchoolSelect, TeacherSelect } from '../../components/RemoteSelect';
import { SearchInput } from '../../components/SearchInput';
import { useListParams } from '../../components/useListParams';
import { useI18n } from '../../i18n/I18nProvider';
import { valueLabel } from '../../i18n/values';
import { zodRule, validValues } from '../../components/formRules';
import { usernameRule } from '@modules/accounts/accounts.schemas';

interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  schoolId?: number;
  teacherId?: number;
}

/** A new or reset password is shown exactly once: the server keeps only its hash. */
function PasswordOnce({ username, password, onClose }: { username: string; password: string; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal open title={t('accounts.passwordOnceTitle')} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }} okText={t('accounts.passwordCopied')}>
      <Alert type="warning" showIcon message={t('accounts.passwordOnce')} style={{ marginBottom: 16 }} />
      <p>{t('common.username')}：<Typography.Text copyable className="mono">{username}</Typography.Text></p>
      <p>{t('accounts.initialPassword')}：<Typography.Text copyable strong className="mono" data-testid="initial-password">{password}</Typography.Text></p>
      <Typography.Text type="secondary">{t('accounts.mustChangeHint')}</Typography.Text>
    </Modal>
  );
}

export default function AccountsPage() {
  const { t, tx } = useI18n();
  const me = useCurrentUser();
  const lp = useListParams();
  const q = lp.get('q');
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Account | null>(null);
  const [shownPassword, setShownPassword] = useState<{ username: string; password: string } | null>(null);

  const query = useQuery({
    queryKey: ['accounts', { q, page: lp.page, pageSize: lp.pageSize }],
    queryFn: () => api.get<Paged<Account>>('/api/accounts', { q, page: lp.page, pageSize: lp.pageSize }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['accounts'] });

  // a principal manages the accounts of their own school only
  const assignableRoles = ROLES.filter((r) => me.role === 'bureau_admin' || ROLE_INFO[r].needsSchool);

  const setDisabled = async (a: Account, disabled: boolean) => {
    try {
      await api.patch(`/api/accounts/${a.id}`, { disabled });
      void message.success(disabled ? t('accounts.disabledDone') : t('accounts.enabledDone'));
      void refresh();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  const resetPassword = async (a: Account) => {
    try {
      const res = await api.post<{ initialPassword: string }>(`/api/accounts/${a.id}/reset-password`);
      setShownPassword({ username: a.username, password: res.initialPassword });
      void refresh();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  const actions = (a: Account) => a.id === me.id ? <Typography.Text type="secondary">{t('accounts.self')}</Typography.Text> : (
    <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
      <Button size="small" type="link" onClick={() => setEditing(a)}>{t('common.edit')}</Button>
      <Popconfirm title={t('accounts.resetConfirm', { name: a.displayName })} onConfirm={() => resetPassword(a)} okText={t('common.ok')} cancelText={t('common.cancel')}>
        <Button size="small" type="link">{t('accounts.resetPassword')}</Button>
      </Popconfirm>
      <Popconfirm
        title={a.disabled ? t('accounts.enableConfirm', { name: a.displayName }) : t('accounts.disableConfirm', { name: a.displayName })}
        onConfirm={() => setDisabled(a, !a.disabled)}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
      >
        <Button size="small" type="link" danger={!a.disabled}>{a.disabled ? t('accounts.enable') : t('accounts.disable')}</Button>
      </Popconfirm>
    </Space>
  );

  const statusTags = (a: Account) => (
    <>
      {a.disabled ? <Tag color="red">{t('accounts.disabled')}</Tag> : <Tag color="green">{t('accounts.active')}</Tag>}
      {a.mustChangePassword && !a.disabled && <Tag color="orange">{t('accounts.pendingPassword')}</Tag>}
    </>
  );

  return (
    <>
      <PageHeader title={t('nav.accounts')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="account-create">{t('accounts.create')}</Button>} />
      <FilterBar search={<SearchInput value={q} onSearch={(v) => lp.setFilters({ q: v })} placeholder={t('accounts.searchPlaceholder')} testId="account-search" />} />
      <PagedQueryList<Account>
        query={query}
        params={lp}
        rowKey={(a) => a.id}
        rowTestId="account-row"
        columns={[
          { title: t('common.username'), dataIndex: 'username', fixed: 'left', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('accounts.displayName'), dataIndex: 'displayName' },
          { title: t('accounts.role'), key: 'role', render: (_: unknown, a) => valueLabel(tx, 'role', a.role, a.roleLabel) },
          { title: t('common.school'), dataIndex: 'schoolName', render: (v: string | null) => v ?? '—' },
          { title: t('accounts.status'), key: 'status', render: (_: unknown, a) => statusTags(a) },
          { title: t('accounts.lastLogin'), dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : t('accounts.never')) },
          { title: t('common.actions'), key: 'actions', render: (_: unknown, a) => actions(a) },
        ]}
        renderCard={(a) => (
          <Flex vertical gap={4}>
            <Flex justify="space-between" align="baseline" wrap>
              <span><strong>{a.displayName}</strong> <span className="mono" style={{ color: '#8c8c8c' }}>{a.username}</span></span>
              <span>{statusTags(a)}</span>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{valueLabel(tx, 'role', a.role, a.roleLabel)}{a.schoolName ? ` · ${a.schoolName}` : ''}</Typography.Text>
            {actions(a)}
          </Flex>
        )}
      />
      {creating && (
        <CreateAccountModal
          roles={assignableRoles}
          fixedSchoolId={me.role === 'bureau_admin' ? undefined : me.school?.id}
          onClose={() => setCreating(false)}
          onCreated={(username, password) => { setCreating(false); setShownPassword({ username, password }); void refresh(); }}
        />
      )}
      {editing && (
        <EditAccountModal account={editing} roles={assignableRoles} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void refresh(); void message.success(t('common.saved')); }} />
      )}
      {shownPassword && <PasswordOnce {...shownPassword} onClose={() => setShownPassword(null)} />}
    </>
  );
}

function CreateAccountModal({ roles, fixedSchoolId, onClose, onCreated }: { roles: Role[]; fixedSchoolId?: number; onClose: () => void; onCreated: (username: string, password: string) => void }) {
  const { t, tx } = useI18n();
  const [form] = Form.useForm<NewAccount>();
  const role = Form.useWatch('role', form);
  const schoolId = Form.useWatch('schoolId', form) ?? fixedSchoolId;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const info = role ? ROLE_INFO[role] : undefined;

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const body = {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        role: v.role,
        schoolId: ROLE_INFO[v.role].needsSchool ? (fixedSchoolId ?? v.schoolId) : undefined,
        teacherId: ROLE_INFO[v.role].needsTeacher ? v.teacherId : undefined,
      };
      const res = await api.post<{ id: number; initialPassword: string }>('/api/accounts', body);
      onCreated(body.username, res.initialPassword);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('accounts.create')} onOk={submit} onCancel={onClose} confirmLoading={busy} okText={t('common.create')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        data-testid="account-form"
        onValuesChange={(changed: Partial<NewAccount>) => {
          // the teacher must belong to the chosen school and suit the chosen role
          if ('schoolId' in changed || 'role' in changed) form.setFieldValue('teacherId', undefined);
        }}
      >
        <Form.Item name="username" label={t('common.username')} extra={t('accounts.usernameHelp')}
          rules={[{ required: true, message: t('login.usernameRequired') }, zodRule(usernameRule)]}>
          <Input autoCapitalize="none" autoComplete="off" data-testid="account-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('accounts.displayName')} rules={[{ required: true, message: t('accounts.displayNameRequired') }, { max: 40 }]}>
          <Input data-testid="account-display-name" />
        </Form.Item>
        <Form.Item name="role" label={t('accounts.role')} rules={[{ required: true, message: t('accounts.roleRequired') }]}>
          <Select options={roles.map((r) => ({ value: r, label: valueLabel(tx, 'role', r) }))} data-testid="account-role" />
        </Form.Item>
        {info?.needsSchool && fixedSchoolId === undefined && (
          <Form.Item name="schoolId" label={t('common.school')} rules={[{ required: true, message: t('accounts.schoolRequired') }]}>
            <SchoolSelect width="100%" />
          </Form.Item>
        )}
        {info?.needsTeacher && (
          <Form.Item name="teacherId" label={t('accounts.teacher')} extra={t('accounts.teacherHelp')} rules={[{ required: true, message: t('accounts.teacherRequired') }]}>
            <TeacherSelect schoolId={schoolId} disabled={schoolId === undefined} />
          </Form.Item>
        )}
      </Form>
      {error && <Alert type="error" showIcon message={error} data-testid="account-error" />}
    </Modal>
  );
}

function EditAccountModal({ account, roles, onClose, onSaved }: { account: Account; roles: Role[]; onClose: () => void; onSaved: () => void }) {
  const { t, tx } = useI18n();
  const [form] = Form.useForm<{ displayName: string; role: Role }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const changes: { displayName?: string; role?: Role } = {};
      if (v.displayName.trim() !== account.displayName) changes.displayName = v.displayName.trim();
      if (v.role !== account.role) changes.role = v.role;
      if (Object.keys(changes).length) await api.patch(`/api/accounts/${account.id}`, changes);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  // a role that needs a school or a teacher binding cannot be switched to from one that has none
  const compatible = roles.filter((r) => (!ROLE_INFO[r].needsSchool || account.schoolId !== null) && (!ROLE_INFO[r].needsTeacher || account.teacherId !== null));
  return (
    <Modal open title={t('accounts.editTitle', { name: account.username })} onOk={submit} onCancel={onClose} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ displayName: account.displayName, role: account.role }}>
        <Form.Item name="displayName" label={t('accounts.displayName')} rules={[{ required: true, message: t('accounts.displayNameRequired') }, { max: 40 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('accounts.role')} rules={[{ required: true }]}>
          <Select options={compatible.map((r) => ({ value: r, label: valueLabel(tx, 'role', r) }))} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}
