from oversight.documents.commands import DocumentCommand
from oversight.documents.models import Kind


class Command(DocumentCommand):
    help = "生成一次联动监督最近一周的整改通报（.docx），含与上一期已印发通报相比的变化。"
    kind = Kind.NOTICE
