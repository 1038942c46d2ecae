import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Paths whose objects are feeds: readers poll them, so they get a short TTL. */
export const FEED_PATH_PATTERNS = ['*.xml', '*.json', '*.opml'] as const;

/**
 * The Content-Security-Policy of the site: pages carry no script, forms or frames. `media-src 'self'`:
 * the header is on every response, and a browser that opens a published recording (`talk.mp3`) plays it
 * in a media document under that response's policy, which `default-src 'none'` alone would block.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src 'self' https: data:; media-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Viewer-request CloudFront Function (runtime cloudfront-js-2.0).
 * Article pages live at `posts/<slug>/index.html` and are linked as `posts/<slug>/`;
 * `posts/<slug>` (no dot in the last segment) is redirected so relative links in the page resolve.
 */
export const DIRECTORY_INDEX_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: uri + '/' } },
    };
  }
  return request;
}
`;

/**
 * Viewer-response CloudFront Function (runtime cloudfront-js-2.0).
 * Feeds are stored as `application/rss+xml` / `application/atom+xml`, which browsers show as raw text or
 * download. When the request prefers HTML (a person clicked a feed link), the feed is labelled
 * `application/xml` so the browser applies its `<?xml-stylesheet?>`; feed readers get the stored type.
 * `bin/cli-site-server.ts` does the same in preview (`browserFeedType`).
 */
export const FEED_FOR_BROWSERS_FUNCTION_CODE = `function handler(event) {
  var response = event.response;
  var accept = event.request.headers.accept ? event.request.headers.accept.value : '';
  var type = response.headers['content-type'] ? response.headers['content-type'].value : '';
  if (accept.indexOf('text/html') !== -1 && /^application\\/(rss|atom)\\+xml/.test(type)) {
    response.headers['content-type'] = { value: 'application/xml; charset=utf-8' };
  }
  response.headers.vary = { value: 'Accept' };
  return response;
}
`;

/** A custom domain for the distribution. */
export interface SiteDomain {
  /** The host name readers use, for example `news.example.com`. */
  readonly domainName: string;
  /** An ACM certificate for `domainName`, in us-east-1 (CloudFront reads certificates only there). */
  readonly certificate: ICertificate;
}

export interface SiteDistributionProps {
  /** The private bucket the publisher writes the site to. */
  readonly siteBucket: IBucket;
  /** Bucket for CloudFront standard logs; it must have ACLs enabled (ObjectOwnership OBJECT_WRITER). */
  readonly logBucket: IBucket;
  /**
   * Key prefix of the CloudFront logs in `logBucket`.
   * @default 'cloudfront/'
   */
  readonly logFilePrefix?: string;
  /**
   * Custom domain and its certificate.
   * @default - the `*.cloudfront.net` domain and the CloudFront default certificate
   */
  readonly domain?: SiteDomain;
  /**
   * HSTS `includeSubDomains`: browsers then refuse plain HTTP on every subdomain of `domainName` for two
   * years. Off unless asked: on an apex domain (`example.com`) it would reach hosts this stack does not serve.
   * @default false
   */
  readonly hstsIncludeSubdomains?: boolean;
  /**
   * How long CloudFront keeps a feed when the object has no Cache-Control.
   * @default Duration.minutes(5)
   */
  readonly feedTtl?: Duration;
  /**
   * How long CloudFront keeps any other object when it has no Cache-Control.
   * @default Duration.hours(1)
   */
  readonly pageTtl?: Duration;
}

/**
 * CloudFront in front of the private site bucket: Origin Access Control, HTTPS only,
 * directory indexes, security headers, short TTLs for feeds. Keys whose first segment
 * starts with `_` (the publisher's internal state) are never served.
 */
export class SiteDistribution extends Construct {
  public readonly distribution: Distribution;
  /** `https://<domain>/`, with the trailing slash. */
  public readonly siteUrl: string;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);
    const feedTtl = props.feedTtl ?? Duration.minutes(5);
    const pageTtl = props.pageTtl ?? Duration.hours(1);

    const directoryIndex = new EdgeFunction(this, 'DirectoryIndex', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Maps /path/ to /path/index.html',
      code: FunctionCode.fromInline(DIRECTORY_INDEX_FUNCTION_CODE),
    });

    const feedForBrowsers = new EdgeFunction(this, 'FeedForBrowsers', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Labels feeds application/xml for browsers so their stylesheet applies',
      code: FunctionCode.fromInline(FEED_FOR_BROWSERS_FUNCTION_CODE),
    });

    // CloudFront names are global to the account: the stack's path alone clashes with the same stack in
    // another region, so each name ends with the region.
    const globalName = (suffix: string) =>
      `${Names.uniqueResourceName(this, { maxLength: 32 })}${suffix}-${Stack.of(this).region}`;

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: globalName('SecurityHeaders'),
      comment: 'Broadsheet: HSTS, nosniff, no framing, CSP for pages without script',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: props.hstsIncludeSubdomains ?? false,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
      },
    });

    const cachePolicy = (policyId: string, defaultTtl: Duration, maxTtl: Duration, comment: string) =>
      new CachePolicy(this, policyId, {
        comment,
        minTtl: Duration.seconds(0),
        defaultTtl,
        maxTtl,
        // Objects carry their own Cache-Control; nothing in the request changes the response.
        queryStringBehavior: CacheQueryStringBehavior.none(),
        headerBehavior: CacheHeaderBehavior.none(),
        cookieBehavior: CacheCookieBehavior.none(),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      });
    const feedCache = cachePolicy('FeedCache', feedTtl, Duration.hours(1), 'Broadsheet feeds: short TTL');
    const pageCache = cachePolicy('PageCache', pageTtl, Duration.days(1), 'Broadsheet pages and assets');

    const origin = S3BucketOrigin.withOriginAccessControl(props.siteBucket, {
      originAccessControl: new S3OriginAccessControl(this, 'OriginAccessControl', {
        originAccessControlName: globalName('Origin'),
      }),
    });
    const behavior = (cache: CachePolicy): BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      cachePolicy: cache,
      responseHeadersPolicy: securityHeaders,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Broadsheet site',
      defaultBehavior: {
        ...behavior(pageCache),
        functionAssociations: [{ function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(
        FEED_PATH_PATTERNS.map((p) => [
          p,
          p === '*.xml'
            ? {
                ...behavior(feedCache),
                functionAssociations: [
                  { function: feedForBrowsers, eventType: FunctionEventType.VIEWER_RESPONSE },
                ],
              }
            : behavior(feedCache),
        ]),
      ),
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: props.logFilePrefix ?? 'cloudfront/',
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 404,
        responsePagePath: '/404.html',
        ttl: Duration.minutes(5),
      })),
      ...(props.domain
        ? {
            domainNames: [props.domain.domainName],
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });

    // Internal state (`_state/…`, `_report.json`) shares the bucket with the site; S3 decodes
    // the key before the policy is evaluated, so `/%5Freport.json` is refused as well.
    props.siteBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyCloudFrontInternalKeys',
        effect: Effect.DENY,
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [props.siteBucket.arnForObjects('_*')],
      }),
    );

    this.siteUrl = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}/`;

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'A public news site with feeds is meant for readers in every country; no geo restriction.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static, GET/HEAD-only site from a private S3 origin with no application behind it; a WAF web ACL ' +
          'would add cost without protecting anything that CloudFront does not already absorb.',
      },
    );
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution must use the *.cloudfront.net default certificate, whose ' +
          'minimum protocol CloudFront fixes; pass -c domainName and -c certificateArn to get TLSv1.2_2021.',
      });
    }
  }
}
