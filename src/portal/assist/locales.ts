// Texts of the smart assistant (智能客服).
export default {
  'zh-CN': {
    assist: {
      nav: '智能客服',
      title: '智能客服',
      intro: '7×24 小时在线，根据帮助文章回答常见问题；需要人工时随时说“转人工”。',
      hello: '您好，我是智能客服。请描述您遇到的问题，例如“空调漏水怎么办”。',
      placeholder: '输入您的问题',
      inputLabel: '您的问题',
      send: '发送',
      readArticle: '查看全文：{{title}}',
      alsoSee: '相关文章：',
      solved: '问题已解决',
      notSolved: '没解决，转人工',
      person: '转人工',
      glad: '很高兴帮到您！如有其他问题，随时再问。',
      openRequest: '填写服务请求（已带上对话内容）',
    },
  },
  en: {
    assist: {
      nav: 'Assistant',
      title: 'Assistant',
      intro: 'Around the clock, answers common questions from our help articles; say "agent" any time to reach a person.',
      hello: 'Hello, I am the service assistant. Describe your problem, e.g. "my air conditioner is leaking".',
      placeholder: 'Type your question',
      inputLabel: 'Your question',
      send: 'Send',
      readArticle: 'Read the article: {{title}}',
      alsoSee: 'Related:',
      solved: 'This solved it',
      notSolved: 'Not solved — talk to a person',
      person: 'Talk to a person (agent)',
      glad: 'Glad it helped! Ask again any time.',
      openRequest: 'Fill in a service request (the conversation is included)',
    },
  },
};
