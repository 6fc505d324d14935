import { Link } from 'react-router-dom';

/** 帮扶 mark and name; links home. */
export function Brand({ compact = false, size = 'normal' }: { compact?: boolean; size?: 'normal' | 'large' }) {
  const box = size === 'large' ? 44 : 28;
  return (
    <Link to="/" style={{ display: 'inline-flex', alignItems: 'center', gap: 8, color: 'inherit', textDecoration: 'none', whiteSpace: 'nowrap' }}>
      <span aria-hidden style={{ width: box, height: box, borderRadius: 6, background: '#1677ff', color: '#fff', display: 'inline-flex', alignItems: 'center', justifyContent: 'center', fontWeight: 600, fontSize: box * 0.55 }}>帮</span>
      {!compact && <span style={{ fontWeight: 600, fontSize: size === 'large' ? 26 : 17, letterSpacing: 2 }}>帮扶</span>}
    </Link>
  );
}
