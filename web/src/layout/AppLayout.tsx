import { Suspense, useEffect, useMemo, useState } from 'react';
import { Avatar, Button, Drawer, Dropdown, Flex, Layout, Menu, type MenuProps } from 'antd';
import { KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { hasRole, useCurrentUser, useLogout } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { valueLabel } from '../i18n/values';
import { MODULES, moduleOf } from '../routes';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { PageSpinner, Problem } from '../components/QueryState';
import { useIsMobile } from '../components/useIsMobile';
import { Brand } from './Brand';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const me = useCurrentUser();
  const { t, tx } = useI18n();
  const myRole = valueLabel(tx, 'role', me.role, me.roleLabel);
  const isMobile = useIsMobile();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  const current = moduleOf(location.pathname);
  const title = current ? t(current.labelKey) : undefined;
  useEffect(() => {
    document.title = title ? `${title} · 帮扶` : '帮扶';
  }, [title]);
  const menuItems: MenuProps['items'] = useMemo(
    () => MODULES.filter((m) => hasRole(me, m.roles)).map((m) => ({
      key: m.key,
      icon: m.icon,
      label: <Link to={m.path} data-testid={`nav-${m.key}`}>{t(m.labelKey)}</Link>,
    })),
    [me, t],
  );

  const logout = useLogout();

  const userMenu: MenuProps = {
    items: [
      {
        key: 'who', disabled: true,
        label: (
          <div style={{ lineHeight: 1.4 }}>
            <div style={{ color: '#262626' }}>{me.displayName}（{me.username}）</div>
            <div style={{ fontSize: 12 }}>{myRole}{me.school ? ` · ${me.school.name}` : ''}{me.readOnly ? ` · ${t('layout.readOnly')}` : ''}</div>
          </div>
        ),
      },
      { type: 'divider' },
      { key: 'password', icon: <KeyOutlined />, label: t('layout.changePassword'), onClick: () => navigate('/change-password') },
      { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('layout.logout')}</span>, onClick: () => void logout() },
    ],
  };

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={current ? [current.key] : []}
      items={menuItems}
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const page = current && !hasRole(me, current.roles)
    ? <Problem kind="forbidden" title={t('error.forbidden')} subTitle={t('error.forbiddenPage')} />
    : <Outlet />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!isMobile && (
        <Sider theme="light" width={208} collapsible collapsed={collapsed} trigger={null} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <div style={{ height: 56, display: 'flex', alignItems: 'center', paddingInline: collapsed ? 20 : 20 }}>
            <Brand compact={collapsed} />
          </div>
          {menu}
        </Sider>
      )}
      {isMobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={248}
          title={<Brand />}
          styles={{ body: { padding: 0 } }}
        >
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header style={{ background: '#fff', paddingInline: isMobile ? 8 : 16, height: 56, lineHeight: '56px', borderBottom: '1px solid #f0f0f0', position: 'sticky', top: 0, zIndex: 10 }}>
          <Flex align="center" justify="space-between" style={{ height: '100%' }}>
            <Flex align="center" gap={4} style={{ minWidth: 0 }}>
              {isMobile ? (
                <>
                  <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label={t('layout.openMenu')} data-testid="menu-toggle" />
                  <Brand />
                </>
              ) : (
                <Button type="text" icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />} onClick={() => setCollapsed(!collapsed)} aria-label={t('layout.toggleMenu')} />
              )}
              {!isMobile && (
                <span style={{ marginInlineStart: 8, color: 'rgba(0,0,0,0.45)', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  {me.school ? me.school.name : myRole}
                </span>
              )}
            </Flex>
            <Flex align="center" gap={4}>
              <LanguageSwitcher compact={isMobile} />
              <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
                <Button type="text" data-testid="user-menu" aria-label={t('layout.userMenu')} style={{ paddingInline: 6 }}>
                  <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
                  {!isMobile && <span style={{ marginInlineStart: 6 }}>{me.displayName}</span>}
                </Button>
              </Dropdown>
            </Flex>
          </Flex>
        </Header>
        <Content style={{ padding: isMobile ? 12 : 24, minWidth: 0 }}>
          <ErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<PageSpinner />}>{page}</Suspense>
          </ErrorBoundary>
        </Content>
      </Layout>
    </Layout>
  );
}
