from oversight.documents.commands import DocumentCommand
from oversight.documents.models import Kind


class Command(DocumentCommand):
    help = "依据实时数据生成一次联动监督的简报（.docx）。"
    kind = Kind.BULLETIN
