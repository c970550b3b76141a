// 满意度问卷: the survey's wording (zh-CN / en overrides of the portal's texts) and its extra questions (choice, scale,
// text). Saving a changed form makes a new version on the server; surveys already sent keep the version they had.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Flex, Form, Input, InputNumber, Row, Select, Skeleton, Space, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { SURVEY_LIMITS, type SurveyFormBody, type SurveyWording } from '../../../shared/surveys.js';
import { surveyApi } from '../../api/endpoints.js';
import { DateTime } from '../../components/DateTime.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { AdminGate } from './common.js';

const WORDING_KEYS = ['title', 'intro', 'scoreLabel', 'npsLabel', 'commentLabel', 'thanks'] as const satisfies readonly (keyof SurveyWording)[];
const LONG = new Set(['intro', 'thanks']);
const formKey = ['survey', 'form'] as const;
const LANG_LABEL = { 'zh-CN': 'language.zhCN', en: 'language.en' } as const;

type Values = SurveyFormBody;

export default function SurveyFormPage() {
  return (
    <AdminGate page="survey">
      <SurveyFormEditor />
    </AdminGate>
  );
}

function SurveyFormEditor() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [unplaced, setUnplaced] = useState<{ field: string; message: string }[]>([]);
  const current = useQuery({ queryKey: formKey, queryFn: surveyApi.form });

  useEffect(() => {
    if (current.data) form.setFieldsValue({ wording: current.data.wording, questions: current.data.questions });
  }, [current.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => surveyApi.saveForm(v),
    onSuccess: (saved) => {
      setUnplaced([]);
      const changed = saved.version !== current.data?.version;
      qc.setQueryData(formKey, saved);
      void message.success(changed ? t('admin.survey.savedVersion', { version: saved.version }) : t('admin.survey.unchanged'));
    },
    onError: (e: Error) => {
      const r = applyServerErrors(form, e);
      setUnplaced(r.unplaced.length || r.applied ? r.unplaced : [{ field: '', message: e.message }]);
    },
  });

  return (
    <div>
      <PageHeader
        title={t('admin.survey.title')}
        subtitle={
          current.data ? (
            <span data-testid="survey-form-version">
              {t('admin.survey.version', { version: current.data.version })} · <DateTime value={current.data.createdAt} />
              {current.data.createdBy ? ` · ${current.data.createdBy.name}` : ''}
            </span>
          ) : (
            t('admin.survey.subtitle')
          )
        }
        testId="page-title"
      />
      {current.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={current.error.message} style={{ marginBottom: 16 }} />}
      {!current.data && !current.isError ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="survey-form" requiredMark={false}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Alert type="info" showIcon title={t('admin.survey.versionHint')} />
            <Card title={t('admin.survey.wording')} size="small">
              <Typography.Paragraph type="secondary">{t('admin.survey.wordingHint')}</Typography.Paragraph>
              {WORDING_KEYS.map((k) => (
                <Row gutter={16} key={k}>
                  {(['zh-CN', 'en'] as const).map((lang) => (
                    <Col xs={24} md={12} key={lang}>
                      <Form.Item name={['wording', k, lang]} label={`${t(`admin.survey.wordingKey.${k}`)} · ${t(LANG_LABEL[lang])}`}>
                        {LONG.has(k) ? (
                          <Input.TextArea rows={2} maxLength={SURVEY_LIMITS.wording} placeholder={t(`admin.survey.defaultText`)} data-testid={`wording-${k}-${lang}`} />
                        ) : (
                          <Input maxLength={SURVEY_LIMITS.wording} placeholder={t(`admin.survey.defaultText`)} data-testid={`wording-${k}-${lang}`} />
                        )}
                      </Form.Item>
                    </Col>
                  ))}
                </Row>
              ))}
            </Card>
            <Card title={t('admin.survey.questions')} size="small">
              <Typography.Paragraph type="secondary">{t('admin.survey.questionsHint')}</Typography.Paragraph>
              <Form.List name="questions">
                {(fields, { add, remove }) => (
                  <Space direction="vertical" size={12} style={{ width: '100%' }}>
                    {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.survey.noQuestions')} />}
                    {fields.map((field, i) => (
                      <QuestionEditor key={field.key} name={field.name} index={i} onRemove={() => remove(field.name)} />
                    ))}
                    {fields.length < SURVEY_LIMITS.questions && (
                      <Button icon={<PlusOutlined />} onClick={() => add({ id: `q${fields.length + 1}`, type: 'choice', required: false, label: { 'zh-CN': '', en: '' }, options: [] })} data-testid="survey-add-question">
                        {t('admin.survey.addQuestion')}
                      </Button>
                    )}
                  </Space>
                )}
              </Form.List>
            </Card>
            {unplaced.length > 0 && (
              <Alert type="error" showIcon title={t('errors.fixFields')} description={unplaced.map((u) => (u.field ? `${u.field}: ${u.message}` : u.message)).join('\n')} style={{ whiteSpace: 'pre-line' }} data-testid="survey-form-errors" />
            )}
            <Flex justify="flex-end">
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="survey-save">
                {t('admin.survey.save')}
              </Button>
            </Flex>
          </Space>
        </Form>
      )}
    </div>
  );
}

function QuestionEditor({ name, index, onRemove }: { name: number; index: number; onRemove: () => void }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<Values>();
  const type = Form.useWatch(['questions', name, 'type'], form);
  const required = [{ required: true, whitespace: true, message: t('survey.required') }];
  return (
    <Card
      size="small"
      type="inner"
      title={t('admin.survey.questionN', { n: index + 1 })}
      extra={<Button type="text" danger icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('admin.survey.removeQuestion', { n: index + 1 })} />}
      data-testid={`survey-question-${index}`}
    >
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name={[name, 'id']} label={t('admin.survey.questionId')} tooltip={t('admin.survey.questionIdHint')} rules={required}>
            <Input maxLength={40} data-testid={`question-${index}-id`} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={[name, 'type']} label={t('admin.survey.questionType')}>
            <Select options={(['choice', 'scale', 'text'] as const).map((v) => ({ value: v, label: t(`admin.survey.type.${v}`) }))} data-testid={`question-${index}-type`} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={[name, 'required']} label={t('admin.survey.required')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        {(['zh-CN', 'en'] as const).map((lang) => (
          <Col xs={24} md={12} key={lang}>
            <Form.Item name={[name, 'label', lang]} label={`${t('admin.survey.questionLabel')} · ${t(LANG_LABEL[lang])}`} rules={required}>
              <Input maxLength={SURVEY_LIMITS.label} data-testid={`question-${index}-label-${lang}`} />
            </Form.Item>
          </Col>
        ))}
        {type === 'scale' && (
          <>
            <Col xs={12} md={6}>
              <Form.Item name={[name, 'min']} label={t('admin.survey.min')} rules={[{ required: true, message: t('survey.required') }]}>
                <InputNumber min={0} max={10} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name={[name, 'max']} label={t('admin.survey.max')} rules={[{ required: true, message: t('survey.required') }]}>
                <InputNumber min={0} max={10} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>
      {type === 'choice' && (
        <Form.List name={[name, 'options']}>
          {(opts, { add, remove }) => (
            <div>
              <Typography.Text strong>{t('admin.survey.options')}</Typography.Text>
              {opts.map((o, j) => (
                <Row gutter={8} key={o.key} align="top" style={{ marginTop: 8 }}>
                  <Col xs={24} md={6}>
                    <Form.Item name={[o.name, 'value']} rules={required} style={{ marginBottom: 8 }}>
                      <Input placeholder={t('admin.survey.optionValue')} aria-label={`${t('admin.survey.optionValue')} ${j + 1}`} maxLength={40} />
                    </Form.Item>
                  </Col>
                  {(['zh-CN', 'en'] as const).map((lang) => (
                    <Col xs={24} md={8} key={lang}>
                      <Form.Item name={[o.name, 'label', lang]} rules={required} style={{ marginBottom: 8 }}>
                        <Input placeholder={t(LANG_LABEL[lang])} aria-label={`${t('admin.survey.optionLabel', { n: j + 1 })} · ${t(LANG_LABEL[lang])}`} maxLength={SURVEY_LIMITS.label} />
                      </Form.Item>
                    </Col>
                  ))}
                  <Col xs={24} md={2}>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(o.name)} aria-label={t('admin.survey.removeOption', { n: j + 1 })} />
                  </Col>
                </Row>
              ))}
              {opts.length < SURVEY_LIMITS.options && (
                <Button size="small" icon={<PlusOutlined />} onClick={() => add({ value: `o${opts.length + 1}`, label: { 'zh-CN': '', en: '' } })} style={{ marginTop: 8 }} data-testid={`question-${index}-add-option`}>
                  {t('admin.survey.addOption')}
                </Button>
              )}
            </div>
          )}
        </Form.List>
      )}
    </Card>
  );
}
