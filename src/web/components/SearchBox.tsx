import { useEffect, useState } from 'react';
import { Button, Input, Space } from 'antd';
import { SearchOutlined } from '@ant-design/icons';

/**
 * Text search that applies on Enter / the search button / clearing; keeps its own text while typing.
 * `testId` lands on the <input> itself.
 */
export function SearchBox({
  value,
  onSearch,
  placeholder,
  width = 320,
  testId,
}: {
  value: string | undefined;
  onSearch: (q: string | undefined) => void;
  placeholder: string;
  width?: number | string;
  testId?: string;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const apply = (v: string) => onSearch(v.trim() || undefined);
  return (
    <Space.Compact style={{ width }}>
      <Input
        allowClear
        value={text}
        placeholder={placeholder}
        aria-label={placeholder}
        prefix={<SearchOutlined className="ac-muted" />}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value === '' && value) apply('');
        }}
        onPressEnter={() => apply(text)}
        data-testid={testId}
      />
      <Button type="primary" icon={<SearchOutlined />} onClick={() => apply(text)} aria-label={placeholder} />
    </Space.Compact>
  );
}
