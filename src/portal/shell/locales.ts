// Texts of the portal's frame: header, home, errors, guards.
export default {
  'zh-CN': {
    shell: {
      brand: 'Aftercare 客户服务',
      skip: '跳到正文',
      navLabel: '门户导航',
      signIn: '登录',
      signOut: '退出',
      languageSwitch: '切换语言：',
      loading: '正在加载…',
      footer: '7×24 自助服务 · 如需人工帮助，请拨打服务热线',
      errors: { network: '网络连接失败，请检查网络后重试', http: '服务暂时不可用（HTTP {{status}}），请稍后重试' },
      home: {
        title: '客户服务门户',
        greeting: '您好，{{name}}',
        intro: '在这里提交服务请求、上传照片、查看处理进度、确认解决方案，并查看您的产品和保修状态。',
      },
      notFound: { title: '页面不存在', body: '您打开的链接可能有误或已失效。', home: '返回首页' },
      staff: { title: '这是客户门户', body: '您以服务团队成员身份登录。客户门户只面向客户；请在工作台处理服务单。', console: '打开工作台' },
      linkOnly: {
        title: '此链接只能查看一个服务单',
        body: '您是通过链接访问的，只能查看和处理服务单 {{number}}。登录后可以查看您的全部服务单和产品。',
        open: '查看服务单',
        signIn: '登录账户',
      },
    },
  },
  en: {
    shell: {
      brand: 'Aftercare Customer Service',
      skip: 'Skip to content',
      navLabel: 'Portal navigation',
      signIn: 'Sign in',
      signOut: 'Sign out',
      languageSwitch: 'Switch language:',
      loading: 'Loading…',
      footer: 'Self-service around the clock · for a person, call our service hotline',
      errors: { network: 'Cannot reach the server. Check your connection and try again.', http: 'The service is unavailable (HTTP {{status}}). Please try again later.' },
      home: {
        title: 'Customer service portal',
        greeting: 'Hello, {{name}}',
        intro: 'Submit a service request, send photos, follow its progress, confirm the solution, and see your products and their warranty.',
      },
      notFound: { title: 'Page not found', body: 'The link you opened may be wrong or no longer valid.', home: 'Back to the start' },
      staff: { title: 'This is the customer portal', body: 'You are signed in as a member of the service team. The portal is for customers; work on tickets in the console.', console: 'Open the console' },
      linkOnly: {
        title: 'This link opens one ticket only',
        body: 'You came through a link and can see and act on ticket {{number}} only. Sign in to see all your tickets and products.',
        open: 'Open the ticket',
        signIn: 'Sign in',
      },
    },
  },
};
